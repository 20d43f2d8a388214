// What the JavaScript SDK lifecycles share: clients of one account against the server, values
// as JSON, SDK waiters that report how they polled, calls that must fail, and the one line of
// JSON each run prints.

import { ProtonClient } from '@aws-sdk/client-proton';

/** A Proton client of the server at `url` whose every request comes from `accountId`
 * (moto's x-moto-account-id). */
export function clientFor(url, accountId) {
  const client = new ProtonClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      args.request.headers['x-moto-account-id'] = accountId;
      return next(args);
    },
    { step: 'build', name: `actAsAccount${accountId}` },
  );
  return client;
}

/** A value as the SDK parsed it, as JSON: each Date becomes a description of itself (a
 * timestamp that came back as anything else stays what it is, and the test sees it). */
export function plain(value) {
  if (value instanceof Date) {
    const valid = !Number.isNaN(value.getTime());
    return {
      isDate: true,
      year: valid ? value.getUTCFullYear() : null,
      epochMs: valid ? value.getTime() : null,
    };
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== '$metadata')
        .map(([key, member]) => [key, plain(member)]),
    );
  }
  return value;
}

/** `waitFor(waiter, input)` for `client`: runs an SDK waiter with `wait` (its delays) and
 * returns its state and how many times it polled (and what it saw). */
export function waiterRunner(client, wait) {
  return async function waitFor(waiter, input) {
    const started = Date.now();
    const result = await waiter({ client, ...wait }, input);
    const observed = result.observedResponses ?? {};
    return {
      state: result.state,
      polls: Object.values(observed).reduce((sum, count) => sum + count, 0),
      observed,
      seconds: (Date.now() - started) / 1000,
    };
  };
}

/** Runs a call that must fail; returns how it failed (or `thrown: false`). */
export async function expectError(call) {
  try {
    const output = await call();
    return { thrown: false, output: plain(output ?? null) };
  } catch (err) {
    return {
      thrown: true,
      name: err?.name ?? null,
      message: err?.message ?? null,
      httpStatusCode: err?.$metadata?.httpStatusCode ?? null,
      fault: err?.$fault ?? null,
      requestId: err?.$metadata?.requestId ?? null,
    };
  }
}

/** Runs `main` and prints what it returns as ONE line of JSON, exiting 0; an unexpected
 * exception exits 1 with its details as JSON on stderr. */
export async function report(main) {
  try {
    const result = await main();
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  } catch (err) {
    console.error(
      JSON.stringify({
        unexpected: true,
        name: err?.name ?? null,
        message: err?.message ?? String(err),
        httpStatusCode: err?.$metadata?.httpStatusCode ?? null,
        stack: err?.stack ?? null,
      }),
    );
    process.exit(1);
  }
}
