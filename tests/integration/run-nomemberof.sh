#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The integration suite against a slapd without memberOf: the bounded group search.
exec bash "$(dirname "$0")/run.sh" nomemberof
