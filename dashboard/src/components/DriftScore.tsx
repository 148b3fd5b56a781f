/**
 * The legacy drift score as a plain, neutral number: how many kinds of
 * devices, browsers, systems and networks the user has shown. It never uses a
 * severity word; those belong to risk.
 */
export function DriftScore({ score }: { score: number }) {
  return (
    <span
      className="drift-score"
      title={`Drift ${score} of 100: variety of devices and networks (legacy score; not a severity)`}
      data-testid="drift-score"
    >
      <span className="drift-label">drift</span> <span className="drift-value">{score}</span>
    </span>
  );
}
