/**
 * Where keel keeps its files: the `.keel/` folder, contracts, runs, lessons
 * and the paths inside them. No other domain's code; every domain may use it.
 *
 * @module
 */
export * from "./layout.ts";
