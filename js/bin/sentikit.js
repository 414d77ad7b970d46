#!/usr/bin/env node
// npx sentikit --model FILE.onnx [--input FILE|-] [TEXT...]: prints the JSON lines bin/sentiment prints.
import { run } from '../src/cli.js';

process.exitCode = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
