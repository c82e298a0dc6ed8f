/*
 * derive.h
 *		DLBS parameters to the typed columns of dlpg.benchmarks (derive.c).
 */
#ifndef DLPG_DERIVE_H
#define DLPG_DERIVE_H

#include "benchmark.h"

/*
 * Derive every typed column from a DLBS benchmark's parameters.  Returns
 * false, with *problem filled in, when a key the columns need holds a value
 * of the wrong type.
 */
extern bool dlpg_derive_row(JsonbContainer *params, BenchmarkRow *row,
							DlpgProblem *problem);

#endif							/* DLPG_DERIVE_H */
