package dev.strata.promql;

/**
 * What a sub-expression evaluates to inside the engine, over all steps at once: a {@link
 * StepVector}, {@link ScalarSteps}, a {@link RangeInput} (range selector or subquery) or a {@link
 * StringConstant}.
 */
sealed interface Evaluated permits StepVector, ScalarSteps, RangeInput, StringConstant {}
