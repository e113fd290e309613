import { sortedInstants } from '../../src/analysis/burstiness.js';
import type { StakeholderInput } from '../../src/analysis/types.js';

/** The sorted instants a stakeholder input stands for, whether it holds them or pieces of the parse workers' arrays. */
export function instantsOf(s: StakeholderInput): number[] {
  return [...(s.instantPieces ? sortedInstants(s.instantPieces) : s.instants)];
}

/**
 * A snapshot with every stakeholder's instants as one sorted array, as a ledger
 * fed row by row gives them: how the pieces lie depends on how a file was cut
 * into ranges, what they stand for must not.
 */
export function flattened<T extends { stakeholders: StakeholderInput[] }>(snap: T): T {
  return { ...snap, stakeholders: snap.stakeholders.map((s) => ({ ...s, instants: Float64Array.from(instantsOf(s)), instantPieces: undefined })) };
}
