/**
 * Hook for replay (and the local runner): context-object facts that a recording fixes, used
 * instead of the clock and random ids. AWS sets them once per execution; a replay must see the
 * recorded ones or every `$$.Execution.StartTime` and child execution name would differ.
 */
export interface ContextOverrides {
  /** `$$.Execution.StartTime` (a redrive keeps the first start). */
  startTime?: Date;
  /** `$$.Execution.RedriveTime` of a redrive. */
  redriveTime?: Date;
  /** The Map Run ARN of a Distributed Map state (per state, in the order its runs start). */
  mapRunArn?(stateName: string): string | undefined;
  /** Name and start time of a Distributed Map child execution. */
  mapChild?(stateName: string, index: number): { name: string; startTime: Date } | undefined;
}
