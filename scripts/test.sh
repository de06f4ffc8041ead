#!/usr/bin/env bash
# The whole test suite, on a fresh machine too: first the Debian packages the tests run for real
# (Chromium, Poppler, a CJK font: scripts/install-test-deps.sh), then every unit and end-to-end
# test. No test is skipped for a missing tool: the install step provides them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/install-test-deps.sh
cargo test --locked "$@"
