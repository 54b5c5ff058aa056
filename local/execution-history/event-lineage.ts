/**
 * Where an event belongs: every event's previousEventId points at the event before it in the
 * same thread, so walking back finds the state it happened in and the Map iteration around it.
 */
import type { HistoryEvent } from '../asl/index.js';

export class EventLineage {
  private readonly byId: Map<number, HistoryEvent>;
  private readonly iterationMemo = new Map<number, number | null>();

  constructor(events: readonly HistoryEvent[]) {
    this.byId = new Map(events.map((event) => [event.id, event]));
  }

  get(id: number): HistoryEvent | undefined {
    return this.byId.get(id);
  }

  /** The StateEntered event of the state this (task) event happened in. */
  enclosingStateEntry(event: HistoryEvent): HistoryEvent | undefined {
    let current: HistoryEvent | undefined = event;
    while (current) {
      if (current.stateEnteredEventDetails) return current;
      current = current.previousEventId > 0 ? this.byId.get(current.previousEventId) : undefined;
    }
    return undefined;
  }

  /**
   * The indices of the `depth` innermost Map iterations the event runs in, outermost first: walking
   * back meets the innermost iteration first. Taking no more than the state's nesting depth keeps
   * the walk from picking up an earlier Map's iterations that a later event chains through.
   */
  mapIndexPath(event: HistoryEvent, depth: number): number[] {
    const path: number[] = [];
    let current: HistoryEvent | undefined = event;
    while (current && path.length < depth) {
      const started = current.mapIterationStartedEventDetails;
      if (current.type === 'MapIterationStarted' && started?.index !== undefined) path.unshift(started.index);
      current = current.previousEventId > 0 ? this.byId.get(current.previousEventId) : undefined;
    }
    return path;
  }

  /**
   * The index of the innermost Map iteration the event runs in. Call it only for events of states
   * that sit inside a Map (see statesInsideMaps): after a Map ends, AWS may chain the next event
   * through the iterations' events, so for states outside a Map the walk could find a stray index.
   */
  mapIndex(event: HistoryEvent): number | undefined {
    const chain: number[] = [];
    let found: number | null | undefined;
    let current: HistoryEvent | undefined = event;
    while (current) {
      const memo = this.iterationMemo.get(current.id);
      if (memo !== undefined) {
        found = memo;
        break;
      }
      chain.push(current.id);
      const started = current.mapIterationStartedEventDetails;
      if (current.type === 'MapIterationStarted' && started?.index !== undefined) {
        found = started.index;
        break;
      }
      current = current.previousEventId > 0 ? this.byId.get(current.previousEventId) : undefined;
    }
    const result = found ?? null;
    for (const id of chain) this.iterationMemo.set(id, result);
    return result === null ? undefined : result;
  }
}
