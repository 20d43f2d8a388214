// Drives a service lifecycle of the moto_proton server with the AWS SDK for JavaScript v3,
// the way a Node.js user would: templates, an environment, a service with two instances and a
// pipeline, updates of each part, deployments, the resources summary, errors, deletion; every
// wait through the SDK's own waiters.
//
// Usage: node services.mjs <server-url>
// The caller (tests/test_real_clients_services.py) sets moto's state manager so that every
// deployment, registration and deletion stays in progress for exactly one read: each waiter
// must then poll twice. Prints ONE JSON object with everything observed and exits 0; an
// unexpected exception (anything outside the error cases probed on purpose) exits 1 with
// details on stderr.

import {
  CreateEnvironmentCommand,
  CreateEnvironmentTemplateCommand,
  CreateEnvironmentTemplateVersionCommand,
  CreateServiceCommand,
  CreateServiceTemplateCommand,
  CreateServiceTemplateVersionCommand,
  DeleteServiceCommand,
  DeleteServiceTemplateVersionCommand,
  GetAccountSettingsCommand,
  GetDeploymentCommand,
  GetResourcesSummaryCommand,
  GetServiceCommand,
  GetServiceInstanceCommand,
  GetServiceTemplateCommand,
  GetServiceTemplateVersionCommand,
  ListDeploymentsCommand,
  ListServiceInstancesCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  UpdateAccountSettingsCommand,
  UpdateEnvironmentTemplateVersionCommand,
  UpdateServiceCommand,
  UpdateServiceInstanceCommand,
  UpdateServicePipelineCommand,
  UpdateServiceTemplateVersionCommand,
  paginateListServiceInstances,
  waitUntilEnvironmentDeployed,
  waitUntilEnvironmentTemplateVersionRegistered,
  waitUntilServiceCreated,
  waitUntilServiceDeleted,
  waitUntilServiceInstanceDeployed,
  waitUntilServicePipelineDeployed,
  waitUntilServiceTemplateVersionRegistered,
  waitUntilServiceUpdated,
} from '@aws-sdk/client-proton';

import { clientFor as clientAt, expectError, plain, report, waiterRunner } from './support.mjs';

const ACCOUNT = '222222222222';
const STRANGER_ACCOUNT = '333333333333';
const ENV_TEMPLATE = 'js-env-tpl';
const ENVIRONMENT = 'js-env';
const SVC_TEMPLATE = 'js-svc-tpl';
const SERVICE = 'js-svc';
const PIPELINE_ROLE = `arn:aws:iam::${ACCOUNT}:role/proton-js-pipeline`;
const REPOSITORY = {
  repositoryConnectionArn: `arn:aws:codestar-connections:us-east-1:${ACCOUNT}:connection/js-conn`,
  repositoryId: 'js-org/js-repo',
  branchName: 'main',
};
const SOURCE = { s3: { bucket: 'js-templates', key: 'bundle.tar.gz' } };
const MAX_PAGES = 20; // the paginator must end long before this
// Waiters: the SDK requires maxWaitTime > minDelay > 0 and maxDelay >= minDelay (seconds).
const WAIT = { maxWaitTime: 30, minDelay: 1, maxDelay: 1 };

const url = process.argv[2];
if (!url) {
  console.error('usage: node services.mjs <server-url>');
  process.exit(2);
}

const clientFor = (accountId) => clientAt(url, accountId);
const proton = clientFor(ACCOUNT);
const stranger = clientFor(STRANGER_ACCOUNT);
const waitFor = waiterRunner(proton, WAIT);

function serviceSpec(instances) {
  const lines = ['proton: ServiceSpec', 'pipeline:', '  unit_test_command: "npm test"'];
  lines.push('instances:');
  for (const [name, port] of instances) {
    lines.push(`  - name: "${name}"`, `    environment: "${ENVIRONMENT}"`, '    spec:');
    lines.push(`      port: ${port}`);
  }
  return `${lines.join('\n')}\n`;
}

const SPEC = serviceSpec([
  ['js-b', 8080],
  ['js-a', 8081],
]);
const SPEC_WITH_C = serviceSpec([
  ['js-b', 8080],
  ['js-a', 8081],
  ['js-c', 8082],
]);

async function main() {
  const result = { errors: {}, waiters: {} };

  // An environment template, registered (waiter), published; an environment on it (waiter).
  await proton.send(new CreateEnvironmentTemplateCommand({ name: ENV_TEMPLATE }));
  const envVersion = await proton.send(
    new CreateEnvironmentTemplateVersionCommand({ templateName: ENV_TEMPLATE, source: SOURCE }),
  );
  result.environmentTemplateVersion = plain(envVersion.environmentTemplateVersion);
  result.waiters.environmentTemplateVersionRegistered = await waitFor(
    waitUntilEnvironmentTemplateVersionRegistered,
    { templateName: ENV_TEMPLATE, majorVersion: '1', minorVersion: '0' },
  );
  await proton.send(
    new UpdateEnvironmentTemplateVersionCommand({
      templateName: ENV_TEMPLATE,
      majorVersion: '1',
      minorVersion: '0',
      status: 'PUBLISHED',
    }),
  );
  await proton.send(
    new CreateEnvironmentCommand({
      name: ENVIRONMENT,
      templateName: ENV_TEMPLATE,
      templateMajorVersion: '1',
      spec: 'proton: EnvironmentSpec\nspec: {}\n',
      protonServiceRoleArn: `arn:aws:iam::${ACCOUNT}:role/proton-js-env`,
    }),
  );
  result.waiters.environmentDeployed = await waitFor(waitUntilEnvironmentDeployed, {
    name: ENVIRONMENT,
  });

  // A service template with a pipeline, version 1.0 compatible with the environment's.
  const template = await proton.send(
    new CreateServiceTemplateCommand({
      name: SVC_TEMPLATE,
      displayName: 'JS service template',
      description: 'with a pipeline',
    }),
  );
  result.serviceTemplate = plain(template.serviceTemplate);
  const created10 = await proton.send(
    new CreateServiceTemplateVersionCommand({
      templateName: SVC_TEMPLATE,
      source: SOURCE,
      compatibleEnvironmentTemplates: [{ templateName: ENV_TEMPLATE, majorVersion: '1' }],
    }),
  );
  result.serviceTemplateVersionCreated = plain(created10.serviceTemplateVersion);
  result.waiters.serviceTemplateVersionRegistered = await waitFor(
    waitUntilServiceTemplateVersionRegistered,
    { templateName: SVC_TEMPLATE, majorVersion: '1', minorVersion: '0' },
  );
  const registered = await proton.send(
    new GetServiceTemplateVersionCommand({
      templateName: SVC_TEMPLATE,
      majorVersion: '1',
      minorVersion: '0',
    }),
  );
  result.serviceTemplateVersionRegistered = plain(registered.serviceTemplateVersion);
  const published = await proton.send(
    new UpdateServiceTemplateVersionCommand({
      templateName: SVC_TEMPLATE,
      majorVersion: '1',
      minorVersion: '0',
      status: 'PUBLISHED',
    }),
  );
  result.serviceTemplateVersionPublished = plain(published.serviceTemplateVersion);

  // No pipeline role yet: a template with a pipeline can't be used.
  result.errors.noPipelineRoles = await expectError(() =>
    proton.send(
      new CreateServiceCommand({
        name: SERVICE,
        templateName: SVC_TEMPLATE,
        templateMajorVersion: '1',
        spec: SPEC,
        ...REPOSITORY,
      }),
    ),
  );
  const settings = await proton.send(
    new UpdateAccountSettingsCommand({ pipelineServiceRoleArn: PIPELINE_ROLE }),
  );
  result.accountSettingsUpdated = plain(settings.accountSettings);
  const gotSettings = await proton.send(new GetAccountSettingsCommand({}));
  result.accountSettings = plain(gotSettings.accountSettings);

  // The service: two instances (listed out of order in the spec) and a pipeline.
  const created = await proton.send(
    new CreateServiceCommand({
      name: SERVICE,
      templateName: SVC_TEMPLATE,
      templateMajorVersion: '1',
      description: 'JS SDK service',
      spec: SPEC,
      tags: [{ key: 'team', value: 'js' }],
      ...REPOSITORY,
    }),
  );
  result.create = {
    service: plain(created.service),
    httpStatusCode: created.$metadata.httpStatusCode,
    requestId: created.$metadata.requestId ?? null,
  };
  result.waiters.serviceCreated = await waitFor(waitUntilServiceCreated, { name: SERVICE });
  const got = await proton.send(new GetServiceCommand({ name: SERVICE }));
  result.getService = plain(got.service);

  const listed = await proton.send(new ListServiceInstancesCommand({ serviceName: SERVICE }));
  result.listInstances = {
    instances: plain(listed.serviceInstances),
    nextToken: listed.nextToken ?? null,
  };
  const descending = await proton.send(
    new ListServiceInstancesCommand({
      serviceName: SERVICE,
      sortBy: 'name',
      sortOrder: 'DESCENDING',
    }),
  );
  result.listInstancesDescending = descending.serviceInstances.map((i) => i.name);
  const pages = [];
  let guardTripped = false;
  for await (const page of paginateListServiceInstances(
    { client: proton, pageSize: 1 },
    { serviceName: SERVICE },
  )) {
    pages.push({
      names: page.serviceInstances.map((i) => i.name),
      nextToken: page.nextToken ?? null,
    });
    if (pages.length >= MAX_PAGES) {
      guardTripped = true;
      break;
    }
  }
  result.instancePages = { pages, guardTripped };
  const tags = await proton.send(new ListTagsForResourceCommand({ resourceArn: got.service.arn }));
  result.serviceTags = tags.tags;
  const instanceArn = listed.serviceInstances.find((i) => i.name === 'js-a')?.arn;
  const instanceTags = await proton.send(
    new ListTagsForResourceCommand({ resourceArn: instanceArn }),
  );
  result.instanceTags = instanceTags.tags;

  // Version 1.1, published: js-a moves to it (MINOR_VERSION); the pipeline redeploys as is.
  await proton.send(
    new CreateServiceTemplateVersionCommand({
      templateName: SVC_TEMPLATE,
      majorVersion: '1',
      source: SOURCE,
      compatibleEnvironmentTemplates: [{ templateName: ENV_TEMPLATE, majorVersion: '1' }],
    }),
  );
  result.waiters.serviceTemplateVersion11Registered = await waitFor(
    waitUntilServiceTemplateVersionRegistered,
    { templateName: SVC_TEMPLATE, majorVersion: '1', minorVersion: '1' },
  );
  await proton.send(
    new UpdateServiceTemplateVersionCommand({
      templateName: SVC_TEMPLATE,
      majorVersion: '1',
      minorVersion: '1',
      status: 'PUBLISHED',
    }),
  );
  const tpl = await proton.send(new GetServiceTemplateCommand({ name: SVC_TEMPLATE }));
  result.serviceTemplateAfter11 = plain(tpl.serviceTemplate);

  const instanceUpdate = await proton.send(
    new UpdateServiceInstanceCommand({
      name: 'js-a',
      serviceName: SERVICE,
      deploymentType: 'MINOR_VERSION',
      spec: SPEC,
    }),
  );
  result.updateInstance = plain(instanceUpdate.serviceInstance);
  result.waiters.serviceInstanceDeployed = await waitFor(waitUntilServiceInstanceDeployed, {
    name: 'js-a',
    serviceName: SERVICE,
  });
  const instanceAfter = await proton.send(
    new GetServiceInstanceCommand({ name: 'js-a', serviceName: SERVICE }),
  );
  result.instanceAfterUpdate = plain(instanceAfter.serviceInstance);

  const pipelineUpdate = await proton.send(
    new UpdateServicePipelineCommand({
      serviceName: SERVICE,
      deploymentType: 'CURRENT_VERSION',
      spec: SPEC,
    }),
  );
  result.updatePipeline = plain(pipelineUpdate.pipeline);
  result.waiters.servicePipelineDeployed = await waitFor(waitUntilServicePipelineDeployed, {
    name: SERVICE,
  });

  // UpdateService adds an instance.
  const serviceUpdate = await proton.send(
    new UpdateServiceCommand({ name: SERVICE, spec: SPEC_WITH_C }),
  );
  result.updateService = plain(serviceUpdate.service);
  result.waiters.serviceUpdated = await waitFor(waitUntilServiceUpdated, { name: SERVICE });
  const afterUpdate = await proton.send(new GetServiceCommand({ name: SERVICE }));
  result.serviceAfterUpdate = plain(afterUpdate.service);
  const listedAfter = await proton.send(new ListServiceInstancesCommand({ serviceName: SERVICE }));
  result.instancesAfterUpdate = listedAfter.serviceInstances.map((i) => [
    i.name,
    `${i.templateMajorVersion}.${i.templateMinorVersion}`,
    i.deploymentStatus,
  ]);

  // Deployments of the service: its instances' and its pipeline's, oldest first.
  const deployments = await proton.send(new ListDeploymentsCommand({ serviceName: SERVICE }));
  result.deployments = plain(deployments.deployments);
  const instanceUpdateDeployment = await proton.send(
    new GetDeploymentCommand({
      id: instanceUpdate.serviceInstance.lastAttemptedDeploymentId,
      serviceName: SERVICE,
      serviceInstanceName: 'js-a',
    }),
  );
  result.instanceUpdateDeployment = plain(instanceUpdateDeployment.deployment);
  const pipelineDeployment = await proton.send(
    new GetDeploymentCommand({ id: pipelineUpdate.pipeline.lastAttemptedDeploymentId }),
  );
  result.pipelineUpdateDeployment = plain(pipelineDeployment.deployment);

  const summary = await proton.send(new GetResourcesSummaryCommand({}));
  result.resourcesSummary = summary.counts;

  // Error cases, as the JS SDK reports them.
  result.errors.unknownService = await expectError(() =>
    proton.send(new GetServiceCommand({ name: 'js-nope' })),
  );
  result.errors.strangerGetsService = await expectError(() =>
    stranger.send(new GetServiceCommand({ name: SERVICE })),
  );
  result.errors.unknownInstance = await expectError(() =>
    proton.send(new GetServiceInstanceCommand({ name: 'js-nope', serviceName: SERVICE })),
  );
  result.errors.versionInUse = await expectError(() =>
    proton.send(
      new DeleteServiceTemplateVersionCommand({
        templateName: SVC_TEMPLATE,
        majorVersion: '1',
        minorVersion: '0',
      }),
    ),
  );
  result.errors.currentVersionWithVersion = await expectError(() =>
    proton.send(
      new UpdateServiceInstanceCommand({
        name: 'js-b',
        serviceName: SERVICE,
        deploymentType: 'CURRENT_VERSION',
        spec: SPEC_WITH_C,
        templateMajorVersion: '1',
      }),
    ),
  );
  result.errors.instanceNameWithoutService = await expectError(() =>
    proton.send(new ListDeploymentsCommand({ serviceInstanceName: 'js-a' })),
  );

  // Delete: DELETE_IN_PROGRESS, then gone (waiter).
  const deleted = await proton.send(new DeleteServiceCommand({ name: SERVICE }));
  result.delete = plain(deleted.service);
  result.waiters.serviceDeleted = await waitFor(waitUntilServiceDeleted, { name: SERVICE });
  result.errors.getAfterDelete = await expectError(() =>
    proton.send(new GetServiceCommand({ name: SERVICE })),
  );
  const servicesLeft = await proton.send(new ListServicesCommand({}));
  result.servicesAfterDelete = servicesLeft.services.map((s) => s.name);

  return result;
}

await report(main);
