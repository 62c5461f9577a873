/** Today's calendar date in the browser's zone, as the API's YYYY-MM-DD. */
export function todayIso(now: Date = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, '0');
  const day = String(now.getDate()).padStart(2, '0');
  return `${now.getFullYear()}-${month}-${day}`;
}

/** The date part of an ISO timestamp, for compact tables. */
export function dateOf(timestamp: string): string {
  return timestamp.slice(0, 10);
}
