#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The integration suite against a slapd with the memberOf overlay.
exec bash "$(dirname "$0")/run.sh" memberof
