// The tokenising worker of a bulk load of the pool index (bulk-load.ts): turns chunks of product
// text into term ids (chunk-terms.ts) while the index writes the previous chunk. Plain JavaScript
// that registers tsx itself, so it starts the same way under `npm start`, the tests and the
// benchmarks.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { ChunkTokenizer } = await import('./chunk-terms.ts');

const tokenizer = new ChunkTokenizer();
parentPort.on('message', ({ id, chunk }) => {
  try {
    const terms = tokenizer.terms(chunk);
    parentPort.postMessage({ id, terms }, [terms.terms.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String(error?.stack ?? error) });
  }
});
