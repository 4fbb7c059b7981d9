import { vectorTests } from './vectors.mjs';

await vectorTests(1, 2);
