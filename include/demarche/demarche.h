/*
 * demarche: attributed statements in diplomatic and political text, scored
 * for hostility and stance. The one header to include; it pulls in every
 * module of the pipeline: text -> statements (with actors) -> features ->
 * model, plus io (readers, JSON), chart and the store (SQLite).
 *
 * Ownership rule: see demarche/core.h (stated once for the whole library).
 */
#ifndef DEMARCHE_H
#define DEMARCHE_H

#include "demarche/core.h"
#include "demarche/output.h"
#include "demarche/text.h"
#include "demarche/actors.h"
#include "demarche/statements.h"
#include "demarche/features.h"
#include "demarche/io.h"
#include "demarche/datasets.h"
#include "demarche/eval.h"
#include "demarche/model.h"
#include "demarche/chart.h"
#include "demarche/store.h"

#endif
