/** How many of a day (or hour) mask's bits are set. */
export function bitCount(mask: number): number {
  let count = 0;
  for (let rest = mask >>> 0; rest !== 0; rest &= rest - 1) count += 1;
  return count;
}

/** A day mask (bit d: d days before the newest day) moved `shift` days on, keeping `daysKept` days. */
export function shiftDays(mask: number, shift: number, daysKept: number): number {
  return shift >= daysKept ? 0 : (mask * 2 ** shift) & (2 ** daysKept - 1);
}

/** The bit of a time's UTC hour of the day, for hour masks. */
export function hourBit(at: number): number {
  return 1 << Math.floor((at % 86_400_000) / 3_600_000);
}
