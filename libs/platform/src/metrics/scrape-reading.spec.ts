import { readingPerScrape } from './scrape-reading';

describe('readingPerScrape', () => {
  it('shares one reading among the gauges of a scrape, and reads again for the next scrape', async () => {
    let reads = 0;
    const read = readingPerScrape(() => Promise.resolve((reads += 1)));

    expect(await Promise.all([read(), read(), read()])).toEqual([1, 1, 1]);
    expect(await read()).toBe(2);
    expect(reads).toBe(2);
  });

  it('rejects the gauges waiting for a failed reading, and reads again afterwards', async () => {
    let fail = true;
    const read = readingPerScrape(() =>
      fail ? Promise.reject(new Error('database unreachable')) : Promise.resolve('ok'),
    );

    await expect(Promise.all([read(), read()])).rejects.toThrow('database unreachable');
    fail = false;
    expect(await read()).toBe('ok');
  });
});
