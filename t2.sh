#!/usr/bin/env bash
set -euo pipefail
. /work/main/tests/integration/lib.sh
orgrbac_slapd_start
