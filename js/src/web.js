// sentikit for the browser: loads a Sentikit .onnx file (a URL or its bytes) and runs it with onnxruntime-web on
// WebAssembly. Bundle it with the page (samples/web does, with esbuild) and serve onnxruntime-web's .wasm files
// beside it; set ort.env.wasm.wasmPaths to where they are.
import * as ort from 'onnxruntime-web/wasm';
import { ModelLoadError, SentimentAnalyzer as Analyzer } from './core.js';

export * from './core.js';
export { ort };

async function bytesOf(model) {
  if (model instanceof Uint8Array) {
    return { bytes: model, source: 'the model bytes' };
  }
  if (model instanceof ArrayBuffer) {
    return { bytes: new Uint8Array(model), source: 'the model bytes' };
  }
  if (typeof model !== 'string' && !(model instanceof URL)) {
    throw new TypeError(`a model is a URL or the bytes of an .onnx file, got ${typeof model}`);
  }
  let response;
  try {
    response = await fetch(model);
  } catch (e) {
    throw new ModelLoadError(`Cannot fetch ${model}: ${e.message}`, { cause: e });
  }
  if (!response.ok) {
    throw new ModelLoadError(`Cannot fetch ${model}: HTTP ${response.status} ${response.statusText}`);
  }
  return { bytes: new Uint8Array(await response.arrayBuffer()), source: String(model) };
}

/** The analyzer, loading with onnxruntime-web (the WebAssembly backend). */
export class SentimentAnalyzer extends Analyzer {
  /**
   * Loads a Sentikit model with onnxruntime-web.
   *
   * @param {string|URL|Uint8Array|ArrayBuffer} model the URL of an .onnx file, or its bytes
   * @param {{ort?: object, sessionOptions?: object, maxBatchSize?: number, maxBatchTokens?: number,
   *   maxWindows?: number, source?: string}} [options] `ort`: another instance of onnxruntime-web to run with (by
   *   default the one this module imports); `maxWindows`: read a text longer than the model reads in up to that many
   *   overlapping windows and average them (default 1: read it once, cut as the model says); `maxBatchTokens`: the
   *   most ids one run holds (default 0: 512 for a transformer, no bound for the other models); `source`: the model's name in messages (by default its URL,
   *   or 'the model bytes')
   * @throws {ModelLoadError} when the file cannot be fetched or is not a Sentikit model
   */
  static async load(model, options = {}) {
    const { bytes, source } = await bytesOf(model);
    const runtime = options.ort ?? ort;
    const sessionOptions = { executionProviders: ['wasm'], ...(options.sessionOptions ?? {}) };
    return this.create(runtime, bytes, { source, ...options, sessionOptions });
  }
}
