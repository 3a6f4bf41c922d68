// A sender loop's sleep: wait until woken (new work, a new address, close) or, with a time, that long at most.
// The supplier's outbox and the procurement tool's submitter both run one such loop.
export function alarm() {
  let wakeUp: (() => void) | undefined;
  const wake = (): void => {
    const w = wakeUp;
    wakeUp = undefined;
    w?.();
  };
  const nap = (ms?: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(wake, Math.max(0, ms));
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return { wake, nap };
}
