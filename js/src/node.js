// sentikit for Node.js: loads a Sentikit .onnx file (a path, its bytes or a URL) and runs it with
// onnxruntime-node on the CPU.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { ModelLoadError, SentimentAnalyzer as Analyzer } from './core.js';

export * from './core.js';

/** The zoo models that a Sentikit source checkout holds (the Maven artifacts sentikit-model-*). */
export const ZOO_MODELS = Object.freeze(['en', 'en-lite', 'zh', 'zh-lite']);

/**
 * The file of a zoo model in the Sentikit checkout that this package lies in, or that the working directory lies in
 * (model-zoo/NAME/src/main/resources/META-INF/sentikit/zoo/NAME.onnx). Outside a checkout the zoo models are not at
 * hand: give the path of the .onnx file instead.
 *
 * @throws {ModelLoadError} when the name is unknown or the file is not there
 */
export function zooModelPath(name) {
  if (!ZOO_MODELS.includes(name)) {
    throw new ModelLoadError(`no zoo model '${name}': the zoo models are ${ZOO_MODELS.join(', ')}; or give a `
      + 'model file (FILE.onnx)');
  }
  const relative = `model-zoo/${name}/src/main/resources/META-INF/sentikit/zoo/${name}.onnx`;
  const candidates = [fileURLToPath(new URL(`../../${relative}`, import.meta.url))];
  for (let d = path.resolve(process.cwd()); ; d = path.dirname(d)) {
    candidates.push(path.join(d, relative));
    if (path.dirname(d) === d) {
      break;
    }
  }
  const found = candidates.find((f) => existsSync(f));
  if (found === undefined) {
    throw new ModelLoadError(`the zoo model '${name}' is not here: the zoo models come with a Sentikit source checkout `
      + `(${relative}, looked for from ${candidates[0]} and from the working directory up); give the path of its .onnx `
      + 'file instead');
  }
  return found;
}

async function bytesOf(model) {
  if (model instanceof Uint8Array) {
    return { bytes: model, source: 'the model bytes' };
  }
  if (model instanceof ArrayBuffer) {
    return { bytes: new Uint8Array(model), source: 'the model bytes' };
  }
  const url = model instanceof URL ? model : (typeof model === 'string' && /^(https?|file):/.test(model) ? new URL(model)
    : null);
  if (url && url.protocol !== 'file:') {
    const response = await fetch(url);
    if (!response.ok) {
      throw new ModelLoadError(`Cannot fetch ${url}: HTTP ${response.status} ${response.statusText}`);
    }
    return { bytes: new Uint8Array(await response.arrayBuffer()), source: String(url) };
  }
  if (typeof model !== 'string' && !url) {
    throw new TypeError(`a model is a path, a URL or the bytes of an .onnx file, got ${typeof model}`);
  }
  const file = url ? fileURLToPath(url) : model;
  try {
    return { bytes: await readFile(file), source: file };
  } catch (e) {
    throw new ModelLoadError(`Cannot read the model file ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`,
      { cause: e });
  }
}

/** The analyzer, loading with onnxruntime-node. */
export class SentimentAnalyzer extends Analyzer {
  /**
   * Loads a Sentikit model with onnxruntime-node.
   *
   * @param {string|URL|Uint8Array|ArrayBuffer} model a path to an .onnx file, a file: or http(s): URL, or its bytes
   * @param {{sessionOptions?: object, maxBatchSize?: number, maxBatchTokens?: number, maxWindows?: number}} [options]
   *   `maxWindows`: read a text longer than the model reads in up to that many overlapping windows and average them
   *   (default 1: read it once, cut as the model says); `maxBatchTokens`: the most ids one run holds (default 0: 512
   *   for a transformer, no bound for the other models)
   * @throws {ModelLoadError} when the file cannot be read or is not a Sentikit model
   */
  static async load(model, options = {}) {
    const { bytes, source } = await bytesOf(model);
    return this.create(ort, bytes, { source, ...options });
  }

  /** Loads a zoo model of this Sentikit checkout by name (see zooModelPath). */
  static async fromZoo(name, options = {}) {
    return this.load(zooModelPath(name), options);
  }
}
