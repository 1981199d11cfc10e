#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The shell helpers of the tests moved to tests/lib/lib.sh; this name stays
# for the scripts outside tests/ (demo/, bench/) that source it.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/lib.sh"
