/** Every list's answer: the items of this page and the cursor of the next (null on the last page). */
export interface PageView<T> {
  items: T[];
  nextCursor: string | null;
}
