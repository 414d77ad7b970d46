// Builds the static page into dist/: the page and its bundle (src/app.js with the sentikit package and
// onnxruntime-web, by esbuild), onnxruntime-web's WebAssembly files (dist/ort/), and the zoo model files of this
// repository (dist/models/, with models.json listing them). Everything comes from npm and the repository; the page
// loads nothing from anywhere else.
import { copyFileSync, existsSync, linkSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const dist = path.join(here, 'dist');
const ortDist = path.join(here, 'node_modules', 'onnxruntime-web', 'dist');
/** The zoo models the page offers, smallest first. */
const MODELS = ['en-lite', 'zh-lite', 'en', 'zh'];
/** onnxruntime-web's WebAssembly backend (SIMD; threads when the page is cross-origin isolated). */
const WASM_FILES = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'];

rmSync(dist, { recursive: true, force: true });
mkdirSync(path.join(dist, 'ort'), { recursive: true });
mkdirSync(path.join(dist, 'models'), { recursive: true });

await esbuild.build({
  entryPoints: [path.join(here, 'src', 'app.js')],
  outfile: path.join(dist, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  // The package (../../js) imports onnxruntime-web, which is installed here.
  nodePaths: [path.join(here, 'node_modules')],
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) {
  copyFileSync(path.join(here, 'src', f), path.join(dist, f));
}
for (const f of WASM_FILES) {
  copyFileSync(path.join(ortDist, f), path.join(dist, 'ort', f));
}

/** A hard link where the file system allows (the models are large), else a copy. */
function place(from, to) {
  try {
    linkSync(from, to);
  } catch {
    copyFileSync(from, to);
  }
}

const listed = [];
for (const name of MODELS) {
  const file = path.join(root, 'model-zoo', name, 'src', 'main', 'resources', 'META-INF', 'sentikit', 'zoo', `${name}.onnx`);
  if (!existsSync(file)) {
    throw new Error(`the zoo model ${name} is not at ${file}`);
  }
  place(file, path.join(dist, 'models', `${name}.onnx`));
  listed.push({ name, file: `${name}.onnx`, bytes: statSync(file).size });
}
// The int8 files of the zoo transformers, where Java has written them (dev.sentikit.bench.Int8ParityVectors, for the
// tests; the zoo ships them once its models are exported with --quantize int8): offered as en-int8 and zh-int8.
const int8 = path.resolve(root, process.env.SENTIKIT_JAVA_PARITY ?? 'target/js-parity', 'int8');
for (const name of ['en', 'zh']) {
  const file = path.join(int8, `${name}-int8.onnx`);
  if (existsSync(file)) {
    place(file, path.join(dist, 'models', `${name}-int8.onnx`));
    listed.push({ name: `${name}-int8`, file: `${name}-int8.onnx`, bytes: statSync(file).size });
  }
}
writeFileSync(path.join(dist, 'models', 'models.json'), `${JSON.stringify(listed, null, 2)}\n`);
console.log(`built ${path.relative(process.cwd(), dist) || dist}: the page, onnxruntime-web's WebAssembly, ${listed.length} models`);
