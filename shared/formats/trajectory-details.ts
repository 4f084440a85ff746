import { z } from 'zod';

// What a trajectory carries besides its messages, declared as zod schemas because it crosses the
// worker and IPC boundaries (the run source of an opened trajectory, the collection row).

/** A rollout of a group (RL rollout lines: several rollouts of one prompt, each with its score). */
export const trajectoryGroupSchema = z.lazy(() => z.object({
  /** The group's id within the file (the line it came from). */
  id: z.string(),
  /** This rollout's place in the group: its position from 0, or (one rollout per line) the file's own number for it. */
  index: z.number().int().nonnegative(),
  /** How many rollouts the group has, when one record holds them all; null when each is a line of its own. */
  size: z.number().int().positive().nullable(),
  /** The score the file records for this rollout, null when it records none. */
  score: z.number().nullable(),
}));
export type TrajectoryGroup = z.infer<typeof trajectoryGroupSchema>;

/** One score an evaluation gave a sample, as recorded (Inspect scorers, an OpenHands test result). */
export const evaluationScoreSchema = z.lazy(() => z.object({
  scorer: z.string(),
  value: z.unknown(),
  answer: z.string().nullable().optional(),
  explanation: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
}));

/** What an evaluation recorded about a sample besides its messages: target, scores, metadata. */
export const evaluationSchema = z.lazy(() => z.object({
  /** The expected answer (Inspect's `target`: a string or a list of strings). */
  target: z.unknown().optional(),
  scores: z.array(evaluationScoreSchema),
  /** The sample's own metadata (Inspect `metadata`, an OpenHands instance's fields). */
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
}));
export type Evaluation = z.infer<typeof evaluationSchema>;

/**
 * A recorded AgentResult field whose value contradicts the messages (a recorded `turns_used` of 0
 * with assistant messages present): shown as recorded and flagged, while counts use `derived`.
 */
export const contradictionSchema = z.lazy(() => z.object({
  field: z.string(),
  recorded: z.unknown(),
  derived: z.unknown(),
  /** Why the two cannot both be true, for the view's marking. */
  note: z.string(),
}));
export type Contradiction = z.infer<typeof contradictionSchema>;
