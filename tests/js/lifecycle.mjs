// Drives the environment-account-connection lifecycle of the moto_proton server with the
// AWS SDK for JavaScript v3, the way a Node.js user would.
//
// Usage: node lifecycle.mjs <server-url>
// Prints ONE JSON object with everything observed and exits 0; an unexpected exception
// (anything outside the error cases probed on purpose) exits 1 with details on stderr.
// tests/test_real_clients.py asserts the result.

import {
  AcceptEnvironmentAccountConnectionCommand,
  CreateEnvironmentAccountConnectionCommand,
  DeleteEnvironmentAccountConnectionCommand,
  GetEnvironmentAccountConnectionCommand,
  ListEnvironmentAccountConnectionsCommand,
  ListTagsForResourceCommand,
  RejectEnvironmentAccountConnectionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEnvironmentAccountConnectionCommand,
  paginateListEnvironmentAccountConnections,
} from '@aws-sdk/client-proton';

import { clientFor as clientAt, report } from './support.mjs';

const ENVIRONMENT_ACCOUNT = '111111111111';
const MANAGEMENT_ACCOUNT = '222222222222';
const STRANGER_ACCOUNT = '333333333333';
const PAGE_SIZE = 2;
const EXTRA_CONNECTIONS = 4; // with the main one: 5 connections, so 3 pages of at most 2
const MAX_PAGES = 20; // the paginator must end long before this

const url = process.argv[2];
if (!url) {
  console.error('usage: node lifecycle.mjs <server-url>');
  process.exit(2);
}

const clientFor = (accountId) => clientAt(url, accountId);
const env = clientFor(ENVIRONMENT_ACCOUNT);
const mgmt = clientFor(MANAGEMENT_ACCOUNT);
const stranger = clientFor(STRANGER_ACCOUNT);

/** What a timestamp member looks like once the SDK has parsed it. */
function describeDate(value) {
  const isDate = value instanceof Date;
  const valid = isDate && !Number.isNaN(value.getTime());
  return {
    isDate,
    type: typeof value,
    year: valid ? value.getUTCFullYear() : null,
    epochMs: valid ? value.getTime() : null,
  };
}

/** A connection as returned by the SDK, with its timestamps described. */
function describeConnection(connection) {
  if (!connection) return null;
  const { requestedAt, lastModifiedAt, ...rest } = connection;
  return {
    ...rest,
    requestedAt: describeDate(requestedAt),
    lastModifiedAt: describeDate(lastModifiedAt),
  };
}

/** Runs a call that must fail; returns how it failed (or `thrown: false`). */
async function expectError(call) {
  try {
    const output = await call();
    return { thrown: false, output: JSON.parse(JSON.stringify(output ?? null)) };
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

async function main() {
  const result = {};

  // Create, from the environment account.
  const created = await env.send(
    new CreateEnvironmentAccountConnectionCommand({
      managementAccountId: MANAGEMENT_ACCOUNT,
      environmentName: 'js-dev',
      roleArn: `arn:aws:iam::${ENVIRONMENT_ACCOUNT}:role/proton-js-env`,
      tags: [
        { key: 'team', value: 'platform' },
        { key: 'stage', value: 'dev' },
      ],
    }),
  );
  const id = created.environmentAccountConnection.id;
  const arn = created.environmentAccountConnection.arn;
  result.create = {
    connection: describeConnection(created.environmentAccountConnection),
    httpStatusCode: created.$metadata.httpStatusCode,
    requestId: created.$metadata.requestId ?? null,
  };

  // Get, from both parties.
  const gotByEnv = await env.send(new GetEnvironmentAccountConnectionCommand({ id }));
  const gotByMgmt = await mgmt.send(new GetEnvironmentAccountConnectionCommand({ id }));
  result.getByEnvironment = describeConnection(gotByEnv.environmentAccountConnection);
  result.getByManagement = describeConnection(gotByMgmt.environmentAccountConnection);

  // Accept, from the management account.
  const accepted = await mgmt.send(new AcceptEnvironmentAccountConnectionCommand({ id }));
  result.accept = describeConnection(accepted.environmentAccountConnection);

  // More connections, so that listing pages.
  const extraIds = [];
  for (let i = 1; i <= EXTRA_CONNECTIONS; i += 1) {
    const extra = await env.send(
      new CreateEnvironmentAccountConnectionCommand({
        managementAccountId: MANAGEMENT_ACCOUNT,
        environmentName: `js-page-${i}`,
        roleArn: `arn:aws:iam::${ENVIRONMENT_ACCOUNT}:role/proton-js-env`,
      }),
    );
    extraIds.push(extra.environmentAccountConnection.id);
  }
  result.extraIds = extraIds;

  // List with the SDK's paginator, guarded against a paginator that never ends.
  const pages = [];
  let guardTripped = false;
  const paginator = paginateListEnvironmentAccountConnections(
    { client: env, pageSize: PAGE_SIZE },
    { requestedBy: 'ENVIRONMENT_ACCOUNT' },
  );
  for await (const page of paginator) {
    pages.push({
      ids: page.environmentAccountConnections.map((c) => c.id),
      environmentNames: page.environmentAccountConnections.map((c) => c.environmentName),
      statuses: page.environmentAccountConnections.map((c) => c.status),
      hasCodebuildRoleArn: page.environmentAccountConnections.some(
        (c) => 'codebuildRoleArn' in c && c.codebuildRoleArn !== undefined,
      ),
      requestedAtAreDates: page.environmentAccountConnections.every(
        (c) => c.requestedAt instanceof Date,
      ),
      nextToken: page.nextToken ?? null,
    });
    if (pages.length >= MAX_PAGES) {
      guardTripped = true;
      break;
    }
  }
  result.pagination = { pageSize: PAGE_SIZE, pages, guardTripped };

  // The management account's view, filtered by status.
  const mgmtConnected = await mgmt.send(
    new ListEnvironmentAccountConnectionsCommand({
      requestedBy: 'MANAGEMENT_ACCOUNT',
      statuses: ['CONNECTED'],
    }),
  );
  const mgmtAll = await mgmt.send(
    new ListEnvironmentAccountConnectionsCommand({ requestedBy: 'MANAGEMENT_ACCOUNT' }),
  );
  result.managementList = {
    connectedIds: mgmtConnected.environmentAccountConnections.map((c) => c.id),
    allIds: mgmtAll.environmentAccountConnections.map((c) => c.id),
    nextToken: mgmtAll.nextToken ?? null,
  };

  // Update the role, from the environment account.
  const updated = await env.send(
    new UpdateEnvironmentAccountConnectionCommand({
      id,
      roleArn: `arn:aws:iam::${ENVIRONMENT_ACCOUNT}:role/proton-js-env-v2`,
    }),
  );
  result.update = describeConnection(updated.environmentAccountConnection);

  // Tags.
  const tagsAtCreate = await env.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  await env.send(
    new TagResourceCommand({
      resourceArn: arn,
      tags: [
        { key: 'owner', value: 'js-sdk' },
        { key: 'stage', value: 'prod' },
      ],
    }),
  );
  const tagsAfterTag = await env.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  await env.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team'] }));
  const tagsAfterUntag = await env.send(new ListTagsForResourceCommand({ resourceArn: arn }));
  result.tags = {
    atCreate: tagsAtCreate.tags,
    afterTag: tagsAfterTag.tags,
    afterUntag: tagsAfterUntag.tags,
  };

  // Reject, from the management account.
  const rejected = await mgmt.send(new RejectEnvironmentAccountConnectionCommand({ id }));
  result.reject = describeConnection(rejected.environmentAccountConnection);

  // Error cases.
  result.errors = {
    managementDeletes: await expectError(() =>
      mgmt.send(new DeleteEnvironmentAccountConnectionCommand({ id })),
    ),
    strangerGets: await expectError(() =>
      stranger.send(new GetEnvironmentAccountConnectionCommand({ id })),
    ),
    invalidManagementAccountId: await expectError(() =>
      env.send(
        new CreateEnvironmentAccountConnectionCommand({
          managementAccountId: 'abc',
          environmentName: 'js-invalid',
          roleArn: `arn:aws:iam::${ENVIRONMENT_ACCOUNT}:role/proton-js-env`,
        }),
      ),
    ),
  };

  // Delete, from the environment account; it is gone afterwards.
  const deleted = await env.send(new DeleteEnvironmentAccountConnectionCommand({ id }));
  result.delete = describeConnection(deleted.environmentAccountConnection);
  result.errors.getAfterDelete = await expectError(() =>
    env.send(new GetEnvironmentAccountConnectionCommand({ id })),
  );

  return result;
}

await report(main);
