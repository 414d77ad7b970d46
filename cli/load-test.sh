#!/usr/bin/env bash
# The load test of `sentiment serve` (issue 26; docs/benchmarks.md, section Serving under load): serves the model on
# 127.0.0.1 in this process and measures, one after another, analyzeAll with batches of 32 called directly (the
# baseline), one-text requests from 16 clients, and the mixed load of 400 requests (70% one text, 15% 16 texts, 10%
# malformed JSON, 5% 1,000 texts) while /health is probed. Prints throughput, latency percentiles by request kind,
# the probes' latency and the status codes, each target met or missed; exits 0 when all are met, 1 when one is not.
# Builds the cli module (and what it needs) first, as bin/sentiment does.
#
#   cli/load-test.sh [--requests 400] [--clients 16] [--one-text-requests 640] [--model en]
#                    [--url http://127.0.0.1:PORT] [--max-seconds 600] [--probe-ms 250] [--seed 26] [--out FILE.md]
#
# --url loads a `sentiment serve` already running on this machine instead (loopback addresses only). About 3 minutes
# on 2 idle cores with en; --max-seconds bounds each phase of requests.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bin/_launcher.sh
source "$root/bin/_launcher.sh"
SENTIKIT_JAVA_OPTS="${SENTIKIT_JAVA_OPTS:--Dorg.slf4j.simpleLogger.defaultLogLevel=warn}"
sentikit_run_test cli dev.sentikit.server.ServeLoad "$@"
