// `sentikit`: the JavaScript twin of `bin/sentiment` (cli's SentimentCli). Analyzes texts and prints one JSON
// object per text, in input order, exactly as the Java CLI prints it:
//   {"text":…,"label":…,"score":…,"scores":{label:probability,…},
//    "read":{"how":…,"tokens_read":…,"tokens":…,"windows":…,"chars_cut":…}}
// with "explanation":[{"token":…,"contribution":…},…] added under --explain. --input reads one text per line, with
// the Java CLI's handling of bad bytes (utf8-lines.js); --windows N reads long texts in up to N windows.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SentimentAnalyzer, zooModelPath } from './node.js';
import { javaJson } from './java-json.js';
import { Utf8Lines } from './utf8-lines.js';

/** Lines analyzed together when reading --input, so memory stays constant for any file size. */
export const BATCH = 256;

const VERSION = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

const USAGE = `Usage: sentikit [-hV] [--explain] [--strict] [--device=auto|cpu] [--input=FILE|-]
                [--model=NAME|FILE.onnx] [--windows=N] [TEXT...]
Analyzes the sentiment of texts with a Sentikit model (default: the English zoo
model \`en\`) and prints one JSON object per text, as bin/sentiment does.
      [TEXT...]              Texts to analyze.
      --device=auto|cpu      Where to run the model (default: auto, the CPU).
      --explain              Add to each result an "explanation": what each token
                               adds to the probability of the label (leave one
                               token out), largest first.
  -h, --help                 Show this help message and exit.
      --input=FILE|-         Read one text per line (UTF-8; lines end at LF, CRLF
                               or CR) from FILE, or from standard input with -.
                               Every line gives one result, in order, printed as
                               soon as it is ready; bytes that are not UTF-8 are
                               replaced by U+FFFD and the lines they were on
                               reported at the end.
      --model=NAME|FILE.onnx A zoo model name (of this Sentikit checkout) or a
                               model file (default: en).
      --strict               With --input: stop at the first line that is not
                               valid UTF-8, naming it, with exit status 1 (the
                               results before it are printed).
  -V, --version              Print version information and exit.
      --windows=N            Read a text longer than the model reads in up to N
                               overlapping windows and average them (default:
                               1: read it once, cut as the model says). Each
                               result's "read" says how its text was read.
`;

/** A mistake on the command line: the message, then the usage, exit status 2. */
class UsageError extends Error {}

/** A failure the message says in full: "error: " + message, exit status 1. */
class Failure extends Error {}

function parse(argv) {
  const o = { model: 'en', device: 'auto', input: null, windows: 1, strict: false, explain: false, help: false,
    version: false, texts: [] };
  const valued = { '--model': 'model', '--device': 'device', '--input': 'input', '--windows': 'windows' };
  const labels = { '--model': 'NAME|FILE.onnx', '--device': 'auto|cpu', '--input': 'FILE|-', '--windows': 'N' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      o.texts.push(...argv.slice(i + 1));
      break;
    }
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (valued[name]) {
      let value;
      if (name !== a) {
        value = a.slice(eq + 1);
      } else {
        if (i + 1 >= argv.length) {
          throw new UsageError(`Missing required parameter for option '${name}' (${labels[name]})`);
        }
        value = argv[++i];
      }
      o[valued[name]] = name === '--windows' ? javaInt(name, value) : value;
    } else if (a === '--strict') {
      o.strict = true;
    } else if (a === '--explain') {
      o.explain = true;
    } else if (a === '-h' || a === '--help') {
      o.help = true;
    } else if (a === '-V' || a === '--version') {
      o.version = true;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`Unknown option: '${a}'`);
    } else {
      o.texts.push(a);
    }
  }
  return o;
}

/** An int option's value as picocli reads it: a decimal int, else a usage error naming it. */
function javaInt(name, value) {
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < -(2 ** 31) || n > 2 ** 31 - 1) {
    throw new UsageError(`Invalid value for option '${name}': '${value}' is not an int`);
  }
  return n;
}

/** Writes to a Node stream, waiting when its buffer is full. */
async function write(stream, s) {
  if (!stream.write(s)) {
    await new Promise((resolve) => stream.once('drain', resolve));
  }
}

/** Opens --input: the file's bytes, or standard input for '-'. */
function openInput(input, stdin) {
  if (input === '-') {
    return new Utf8Lines(stdin, 'standard input');
  }
  let stat = null;
  try {
    stat = statSync(input);
  } catch {
    // reported below
  }
  if (stat === null || !stat.isFile()) {
    throw new Failure(`${stat?.isDirectory() ? `--input ${input} is a directory` : `input file not found: `
      + `${path.resolve(input)}`}; give a text file with one text per line, or - for standard input`);
  }
  return new Utf8Lines(createReadStream(input, { highWaterMark: 1 << 16 }), input);
}

/** A zoo model by name, or a model file by path, as the Java CLI's --model; long texts read in up to `windows`. */
async function open(model, device, windows) {
  if (!['auto', 'cpu'].includes(device)) {
    throw new Failure(`--device ${device}: the JavaScript CLI runs models on the CPU (onnxruntime-node); give `
      + '--device auto or cpu, or use bin/sentiment for a GPU');
  }
  if (windows < 1) {
    throw new Failure(`maxWindows must be >= 1 (1 = read once, cut as the model says), got ${windows}`);
  }
  const options = { maxWindows: windows };
  if (model.endsWith('.onnx') || model.includes('/') || existsSync(model)) {
    return SentimentAnalyzer.load(model, options);
  }
  return SentimentAnalyzer.load(zooModelPath(model), options);
}

/** One result as bin/sentiment writes it; the counts of "read" are ints (BigInt here), written without a fraction. */
function resultJson(text, s) {
  const c = s.coverage;
  return {
    text,
    label: s.label,
    score: s.score,
    scores: s.scores,
    read: {
      how: c.how, tokens_read: BigInt(c.tokensRead), tokens: BigInt(c.tokens), windows: BigInt(c.windows),
      chars_cut: c.charsCut, script: c.script, script_known: c.scriptKnown,
    },
  };
}

async function printBatch(out, analyzer, texts, explain) {
  if (texts.length === 0) {
    return;
  }
  const results = await analyzer.analyzeAll(texts);
  let lines = '';
  for (let i = 0; i < texts.length; i++) {
    const line = resultJson(texts[i], results[i]);
    if (explain) {
      const e = await analyzer.explain(texts[i], results[i].label);
      // Largest |contribution| first; the sort is stable, as Java's.
      line.explanation = [...e.contributions].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
        .map((c) => ({ token: c.token, contribution: c.contribution }));
    }
    lines += `${javaJson(line)}\n`;
  }
  await write(out, lines);
}

/**
 * Runs the command; returns its exit status (0 ok, 1 failure, 2 bad usage).
 *
 * @param {string[]} argv the arguments after the program name
 * @param {{stdout: import('node:stream').Writable, stderr: import('node:stream').Writable,
 *   stdin: import('node:stream').Readable}} io
 */
export async function run(argv, io) {
  const { stdout, stderr, stdin } = io;
  let o;
  try {
    o = parse(argv);
    if (o.help) {
      await write(stdout, USAGE);
      return 0;
    }
    if (o.version) {
      await write(stdout, `sentikit ${VERSION} (JavaScript; onnxruntime-node)\n`);
      return 0;
    }
    if (o.texts.length === 0 && o.input === null) {
      throw new UsageError('nothing to analyze: give TEXT arguments or --input FILE (or - for standard input)');
    }
    if (o.strict && o.input === null) {
      throw new UsageError('--strict applies to --input: TEXT arguments are always valid text');
    }
  } catch (e) {
    if (e instanceof UsageError) {
      await write(stderr, `${e.message}\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  let analyzer = null;
  try {
    const lines = o.input === null ? null : openInput(o.input, stdin);
    analyzer = await open(o.model, o.device, o.windows);
    if (o.texts.length > 0) {
      await printBatch(stdout, analyzer, o.texts, o.explain);
    }
    if (lines !== null) {
      let batch = [];
      for await (const chunk of lines.batches()) {
        for (const line of chunk) {
          if (line.bad !== null && o.strict) {
            await printBatch(stdout, analyzer, batch, o.explain);
            throw new Failure(lines.strictError(line.bad));
          }
          batch.push(line.text);
          if (batch.length === BATCH) {
            await printBatch(stdout, analyzer, batch, o.explain);
            batch = [];
          }
        }
        // The input has nothing more ready: print what there is, so that a pipe's reader sees it at once.
        await printBatch(stdout, analyzer, batch, o.explain);
        batch = [];
      }
      for (const line of lines.report()) {
        await write(stderr, `${line}\n`);
      }
    }
    return 0;
  } catch (e) {
    await write(stderr, `error: ${e.message}\n`);
    return 1;
  } finally {
    await analyzer?.close();
  }
}
