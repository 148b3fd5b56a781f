/** Detection quality of one score over labeled events (positive = part of an incident). */
export interface Quality {
  /** Area under the ROC curve; ties count half. */
  auc: number;
  /** Share of incidents among the top 1% of events by score (ties at the cut shared in proportion). */
  precisionAtTop1: number;
  /** Share of incident events caught at the highest threshold that flags at most 1% of benign events. */
  recallAt1Fpr: number;
  /** The score threshold that recall uses. */
  thresholdAt1Fpr: number;
}

export interface Scored {
  score: number;
  positive: boolean;
}

export function quality(events: readonly Scored[]): Quality {
  const sorted = [...events].sort((a, b) => b.score - a.score);
  const positives = sorted.filter((e) => e.positive).length;
  const negatives = sorted.length - positives;
  // Group equal scores: every metric treats a tie as one block.
  const groups: Array<{ score: number; pos: number; neg: number }> = [];
  for (const event of sorted) {
    const last = groups.at(-1);
    if (last !== undefined && last.score === event.score) {
      if (event.positive) last.pos += 1;
      else last.neg += 1;
    } else groups.push({ score: event.score, pos: event.positive ? 1 : 0, neg: event.positive ? 0 : 1 });
  }

  // AUC = P(score of a random positive > a random negative) + ½ P(equal).
  let auc = 0;
  let negativesAbove = 0;
  for (const group of groups) {
    auc += group.pos * (negatives - negativesAbove - group.neg) + 0.5 * group.pos * group.neg;
    negativesAbove += group.neg;
  }
  auc = positives === 0 || negatives === 0 ? Number.NaN : auc / (positives * negatives);

  const top = Math.max(1, Math.round(sorted.length * 0.01));
  let taken = 0;
  let hits = 0;
  for (const group of groups) {
    const size = group.pos + group.neg;
    const take = Math.min(size, top - taken);
    hits += (take * group.pos) / size;
    taken += take;
    if (taken >= top) break;
  }

  let flaggedNegatives = 0;
  let caught = 0;
  let threshold = Number.POSITIVE_INFINITY;
  for (const group of groups) {
    if ((flaggedNegatives + group.neg) / negatives > 0.01) break;
    flaggedNegatives += group.neg;
    caught += group.pos;
    threshold = group.score;
  }
  return {
    auc,
    precisionAtTop1: hits / top,
    recallAt1Fpr: positives === 0 ? Number.NaN : caught / positives,
    thresholdAt1Fpr: threshold,
  };
}
