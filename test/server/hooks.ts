import { closeSharedNyx } from './helpers/nyx.ts';

/** Mocha root hooks: the shared test instance is closed once, after every suite ran. */
export const mochaHooks = {
  async afterAll(): Promise<void> {
    await closeSharedNyx();
  },
};
