import { type InstrumentDefinition } from '../screenings/instruments';

/**
 * Test data: answers to an instrument that score exactly `total` (greedy over each item's scores, so the
 * reversed DAST-10 item 3 is handled like any other).
 */
export function answersFor(definition: InstrumentDefinition, total: number): number[] {
  let remaining = total;
  const answers = definition.items.map((item) => {
    const options = item.values
      .map((answer) => ({ answer, score: item.reversed === true ? 1 - answer : answer }))
      .filter((option) => option.score <= remaining)
      .sort((a, b) => b.score - a.score);
    const chosen = options[0];
    if (chosen === undefined) throw new Error('no answer fits');
    remaining -= chosen.score;
    return chosen.answer;
  });
  if (remaining !== 0) throw new Error(`${definition.id} cannot score ${total}`);
  return answers;
}
