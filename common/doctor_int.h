/* SPDX-License-Identifier: BSD-2-Clause */
/* What the doctor's runner shares with its other files only. */
#ifndef ORGRBAC_DOCTOR_INT_H
#define ORGRBAC_DOCTOR_INT_H

#include "config.h"
#include "doctor.h"

/* Where libpam looks for modules named without a path; NULL-ended, to free with orgrbac_strv_free.
 */
char **orgrbac_doctor_module_dirs(void);

/* Each server of the configuration, alone: it answers, the bind works, it holds what sync reads. */
void orgrbac_doctor_servers(const struct orgrbac_config *cfg, bool trust_any_owner,
			    struct orgrbac_findings *out);

#endif
