// Drives a component lifecycle of the moto_proton server with the AWS SDK for JavaScript v3,
// the way a Node.js user would: an environment with a component role, a service whose template
// supports directly defined components, a component created detached, attached to the service's
// instance, redeployed while self-managed automation reports back
// (NotifyResourceDeploymentStatusChange), detached and deleted; linked repositories; errors.
// Every wait goes through the SDK's own waiters.
//
// Usage: node components.mjs <server-url>
// The caller (tests/test_real_clients_components.py) sets moto's state manager so that every
// deployment, registration and deletion stays in progress for exactly one read: each waiter
// must then poll twice. Prints ONE JSON object with everything observed and exits 0; an
// unexpected exception (anything outside the error cases probed on purpose) exits 1 with
// details on stderr.

import {
  CreateComponentCommand,
  CreateEnvironmentCommand,
  CreateEnvironmentTemplateCommand,
  CreateEnvironmentTemplateVersionCommand,
  CreateRepositoryCommand,
  CreateServiceCommand,
  CreateServiceTemplateCommand,
  CreateServiceTemplateVersionCommand,
  DeleteComponentCommand,
  DeleteRepositoryCommand,
  DeleteServiceCommand,
  GetComponentCommand,
  GetDeploymentCommand,
  GetRepositoryCommand,
  GetResourcesSummaryCommand,
  GetServiceTemplateVersionCommand,
  ListComponentOutputsCommand,
  ListComponentProvisionedResourcesCommand,
  ListComponentsCommand,
  ListDeploymentsCommand,
  ListRepositoriesCommand,
  ListTagsForResourceCommand,
  NotifyResourceDeploymentStatusChangeCommand,
  UpdateComponentCommand,
  UpdateEnvironmentTemplateVersionCommand,
  UpdateServiceTemplateVersionCommand,
  waitUntilComponentDeleted,
  waitUntilComponentDeployed,
  waitUntilEnvironmentDeployed,
  waitUntilEnvironmentTemplateVersionRegistered,
  waitUntilServiceCreated,
  waitUntilServiceDeleted,
  waitUntilServiceTemplateVersionRegistered,
} from '@aws-sdk/client-proton';

import { clientFor as clientAt, expectError, plain, report, waiterRunner } from './support.mjs';

const ACCOUNT = '222222222222';
const ENV_TEMPLATE = 'js-cenv-tpl';
const ENVIRONMENT = 'js-cenv';
const ROLELESS_ENVIRONMENT = 'js-cenv-norole';
const SVC_TEMPLATE = 'js-csvc-tpl';
const SERVICE = 'js-csvc';
const INSTANCE = 'js-ci';
const COMPONENT = 'js-comp';
const OTHER_COMPONENT = 'js-comp-2';
const COMPONENT_ROLE = `arn:aws:iam::${ACCOUNT}:role/proton-js-component`;
const CONNECTION = `arn:aws:codestar-connections:us-east-1:${ACCOUNT}:connection/js-repos`;
const SOURCE = { s3: { bucket: 'js-templates', key: 'bundle.tar.gz' } };
const MANIFEST = [
  'infrastructure:',
  '  templates:',
  '    - file: "cloudformation.yaml"',
  '      rendering_engine: jinja',
  '      template_language: cloudformation',
  '',
].join('\n');
const TWO_TEMPLATES_MANIFEST = [
  MANIFEST.trimEnd(),
  '    - file: "other.yaml"',
  '      rendering_engine: jinja',
  '      template_language: cloudformation',
  '',
].join('\n');
const TEMPLATE_FILE = [
  'Resources:',
  '  Bucket:',
  '    Type: AWS::S3::Bucket',
  'Outputs:',
  '  BucketName:',
  '    Value: !Ref Bucket',
  '',
].join('\n');
const SERVICE_SPEC = [
  'proton: ServiceSpec',
  'instances:',
  `  - name: "${INSTANCE}"`,
  `    environment: "${ENVIRONMENT}"`,
  '    spec:',
  '      port: 8080',
  '',
].join('\n');
const COMPONENT_SPEC = 'proton: ServiceSpec\nspec:\n  bucket_prefix: js\n';
const COMPONENT_SPEC_2 = 'proton: ServiceSpec\nspec:\n  bucket_prefix: js-v2\n';
// Waiters: the SDK requires maxWaitTime > minDelay > 0 and maxDelay >= minDelay (seconds).
const WAIT = { maxWaitTime: 30, minDelay: 1, maxDelay: 1 };

const url = process.argv[2];
if (!url) {
  console.error('usage: node components.mjs <server-url>');
  process.exit(2);
}

const clientFor = (accountId) => clientAt(url, accountId);
const proton = clientFor(ACCOUNT);
const waitFor = waiterRunner(proton, WAIT);

async function getComponent(name) {
  const got = await proton.send(new GetComponentCommand({ name }));
  return plain(got.component);
}

async function listComponentNames(filters) {
  const listed = await proton.send(new ListComponentsCommand(filters));
  return {
    names: listed.components.map((c) => c.name),
    nextToken: listed.nextToken ?? null,
  };
}

async function main() {
  const result = { errors: {}, waiters: {} };

  // An environment template, registered (waiter), published; an environment on it with a
  // component role (waiter); another without one, never deployed.
  await proton.send(new CreateEnvironmentTemplateCommand({ name: ENV_TEMPLATE }));
  await proton.send(
    new CreateEnvironmentTemplateVersionCommand({ templateName: ENV_TEMPLATE, source: SOURCE }),
  );
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
  const environment = await proton.send(
    new CreateEnvironmentCommand({
      name: ENVIRONMENT,
      templateName: ENV_TEMPLATE,
      templateMajorVersion: '1',
      spec: 'proton: EnvironmentSpec\nspec: {}\n',
      protonServiceRoleArn: `arn:aws:iam::${ACCOUNT}:role/proton-js-env`,
      componentRoleArn: COMPONENT_ROLE,
    }),
  );
  result.environment = plain(environment.environment);
  result.waiters.environmentDeployed = await waitFor(waitUntilEnvironmentDeployed, {
    name: ENVIRONMENT,
  });
  await proton.send(
    new CreateEnvironmentCommand({
      name: ROLELESS_ENVIRONMENT,
      templateName: ENV_TEMPLATE,
      templateMajorVersion: '1',
      spec: 'proton: EnvironmentSpec\nspec: {}\n',
      protonServiceRoleArn: `arn:aws:iam::${ACCOUNT}:role/proton-js-env`,
    }),
  );

  // A service template without a pipeline whose version supports directly defined components.
  const template = await proton.send(
    new CreateServiceTemplateCommand({
      name: SVC_TEMPLATE,
      pipelineProvisioning: 'CUSTOMER_MANAGED',
    }),
  );
  result.serviceTemplate = plain(template.serviceTemplate);
  await proton.send(
    new CreateServiceTemplateVersionCommand({
      templateName: SVC_TEMPLATE,
      source: SOURCE,
      compatibleEnvironmentTemplates: [{ templateName: ENV_TEMPLATE, majorVersion: '1' }],
      supportedComponentSources: ['DIRECTLY_DEFINED'],
    }),
  );
  result.waiters.serviceTemplateVersionRegistered = await waitFor(
    waitUntilServiceTemplateVersionRegistered,
    { templateName: SVC_TEMPLATE, majorVersion: '1', minorVersion: '0' },
  );
  await proton.send(
    new UpdateServiceTemplateVersionCommand({
      templateName: SVC_TEMPLATE,
      majorVersion: '1',
      minorVersion: '0',
      status: 'PUBLISHED',
    }),
  );
  const version = await proton.send(
    new GetServiceTemplateVersionCommand({
      templateName: SVC_TEMPLATE,
      majorVersion: '1',
      minorVersion: '0',
    }),
  );
  result.serviceTemplateVersion = plain(version.serviceTemplateVersion);

  // The service: one instance, no pipeline (no repository, no pipeline role).
  const service = await proton.send(
    new CreateServiceCommand({
      name: SERVICE,
      templateName: SVC_TEMPLATE,
      templateMajorVersion: '1',
      spec: SERVICE_SPEC,
    }),
  );
  result.service = plain(service.service);
  result.waiters.serviceCreated = await waitFor(waitUntilServiceCreated, { name: SERVICE });

  // Components that can't be created.
  result.errors.noComponentRole = await expectError(() =>
    proton.send(
      new CreateComponentCommand({
        name: COMPONENT,
        environmentName: ROLELESS_ENVIRONMENT,
        manifest: MANIFEST,
        templateFile: TEMPLATE_FILE,
      }),
    ),
  );
  result.errors.twoTemplatesInManifest = await expectError(() =>
    proton.send(
      new CreateComponentCommand({
        name: COMPONENT,
        environmentName: ENVIRONMENT,
        manifest: TWO_TEMPLATES_MANIFEST,
        templateFile: TEMPLATE_FILE,
      }),
    ),
  );
  result.errors.serviceWithoutInstance = await expectError(() =>
    proton.send(
      new CreateComponentCommand({
        name: COMPONENT,
        serviceName: SERVICE,
        manifest: MANIFEST,
        templateFile: TEMPLATE_FILE,
      }),
    ),
  );
  result.errors.unknownEnvironment = await expectError(() =>
    proton.send(
      new CreateComponentCommand({
        name: COMPONENT,
        environmentName: 'js-nope',
        manifest: MANIFEST,
        templateFile: TEMPLATE_FILE,
      }),
    ),
  );

  // CreateComponent, detached: IN_PROGRESS; an update now conflicts; deployed (waiter).
  const created = await proton.send(
    new CreateComponentCommand({
      name: COMPONENT,
      environmentName: ENVIRONMENT,
      manifest: MANIFEST,
      templateFile: TEMPLATE_FILE,
      description: 'JS SDK component',
      tags: [{ key: 'team', value: 'js' }],
    }),
  );
  result.create = {
    component: plain(created.component),
    httpStatusCode: created.$metadata.httpStatusCode,
    requestId: created.$metadata.requestId ?? null,
  };
  result.errors.updateWhileDeploying = await expectError(() =>
    proton.send(
      new UpdateComponentCommand({
        name: COMPONENT,
        deploymentType: 'CURRENT_VERSION',
        templateFile: TEMPLATE_FILE,
      }),
    ),
  );
  result.errors.duplicateName = await expectError(() =>
    proton.send(
      new CreateComponentCommand({
        name: COMPONENT,
        environmentName: ENVIRONMENT,
        manifest: MANIFEST,
        templateFile: TEMPLATE_FILE,
      }),
    ),
  );
  result.waiters.componentCreated = await waitFor(waitUntilComponentDeployed, {
    name: COMPONENT,
  });
  result.afterCreate = await getComponent(COMPONENT);
  const componentTags = await proton.send(
    new ListTagsForResourceCommand({ resourceArn: created.component.arn }),
  );
  result.componentTags = componentTags.tags;

  // UpdateComponent CURRENT_VERSION attaches it to the instance, with inputs.
  const attaching = await proton.send(
    new UpdateComponentCommand({
      name: COMPONENT,
      deploymentType: 'CURRENT_VERSION',
      serviceName: SERVICE,
      serviceInstanceName: INSTANCE,
      serviceSpec: COMPONENT_SPEC,
    }),
  );
  result.attaching = plain(attaching.component);
  result.waiters.componentAttached = await waitFor(waitUntilComponentDeployed, {
    name: COMPONENT,
  });
  result.afterAttach = await getComponent(COMPONENT);

  // A second component, detached, in the same environment.
  await proton.send(
    new CreateComponentCommand({
      name: OTHER_COMPONENT,
      environmentName: ENVIRONMENT,
      manifest: MANIFEST,
      templateFile: TEMPLATE_FILE,
    }),
  );
  result.waiters.otherComponentCreated = await waitFor(waitUntilComponentDeployed, {
    name: OTHER_COMPONENT,
  });
  result.errors.secondComponentOnInstance = await expectError(() =>
    proton.send(
      new UpdateComponentCommand({
        name: OTHER_COMPONENT,
        deploymentType: 'CURRENT_VERSION',
        serviceName: SERVICE,
        serviceInstanceName: INSTANCE,
      }),
    ),
  );

  // ListComponents and its filters.
  const listed = await proton.send(new ListComponentsCommand({}));
  result.listComponents = {
    components: plain(listed.components),
    nextToken: listed.nextToken ?? null,
  };
  result.listByEnvironment = await listComponentNames({ environmentName: ENVIRONMENT });
  result.listByService = await listComponentNames({ serviceName: SERVICE });
  result.listByInstance = await listComponentNames({
    serviceName: SERVICE,
    serviceInstanceName: INSTANCE,
  });
  result.listByOtherInstance = await listComponentNames({
    serviceName: SERVICE,
    serviceInstanceName: 'js-nope',
  });
  result.listByUnknownEnvironment = await listComponentNames({ environmentName: 'js-nope' });
  result.listPage = await listComponentNames({ maxResults: 1 });
  result.errors.listInstanceWithoutService = await expectError(() =>
    proton.send(new ListComponentsCommand({ serviceInstanceName: INSTANCE })),
  );

  // Attached: neither the service nor the component can be deleted.
  result.errors.deleteServiceWithComponent = await expectError(() =>
    proton.send(new DeleteServiceCommand({ name: SERVICE })),
  );
  result.errors.deleteAttachedComponent = await expectError(() =>
    proton.send(new DeleteComponentCommand({ name: COMPONENT })),
  );
  result.errors.moveToAnotherInstance = await expectError(() =>
    proton.send(
      new UpdateComponentCommand({
        name: COMPONENT,
        deploymentType: 'CURRENT_VERSION',
        serviceName: SERVICE,
        serviceInstanceName: 'js-other',
      }),
    ),
  );
  result.errors.noneWithTemplateFile = await expectError(() =>
    proton.send(
      new UpdateComponentCommand({
        name: COMPONENT,
        deploymentType: 'NONE',
        templateFile: TEMPLATE_FILE,
      }),
    ),
  );

  // A redeploy with new inputs, held IN_PROGRESS; self-managed automation reports outputs,
  // then success (NotifyResourceDeploymentStatusChange).
  const redeploying = await proton.send(
    new UpdateComponentCommand({
      name: COMPONENT,
      deploymentType: 'CURRENT_VERSION',
      serviceSpec: COMPONENT_SPEC_2,
      description: 'JS SDK component, v2 inputs',
    }),
  );
  result.redeploying = plain(redeploying.component);
  const componentArn = redeploying.component.arn;
  const redeployId = redeploying.component.lastAttemptedDeploymentId;
  result.errors.notifyOtherDeployment = await expectError(() =>
    proton.send(
      new NotifyResourceDeploymentStatusChangeCommand({
        resourceArn: componentArn,
        deploymentId: attaching.component.lastAttemptedDeploymentId,
        status: 'SUCCEEDED',
      }),
    ),
  );
  result.errors.notifyUnknownComponent = await expectError(() =>
    proton.send(
      new NotifyResourceDeploymentStatusChangeCommand({
        resourceArn: `arn:aws:proton:us-east-1:${ACCOUNT}:component/js-nope`,
        status: 'SUCCEEDED',
      }),
    ),
  );
  const notifiedInProgress = await proton.send(
    new NotifyResourceDeploymentStatusChangeCommand({
      resourceArn: componentArn,
      deploymentId: redeployId,
      status: 'IN_PROGRESS',
      outputs: [{ key: 'BucketName', valueString: 'js-bucket-v2' }],
    }),
  );
  result.notifyInProgress = {
    output: plain(notifiedInProgress),
    httpStatusCode: notifiedInProgress.$metadata.httpStatusCode,
  };
  result.whileReporting = await getComponent(COMPONENT); // the one read the hold allows
  const outputsOfRedeploy = await proton.send(
    new ListComponentOutputsCommand({ componentName: COMPONENT, deploymentId: redeployId }),
  );
  result.outputsWhileInProgress = outputsOfRedeploy.outputs;
  const outputsOfLastSuccess = await proton.send(
    new ListComponentOutputsCommand({ componentName: COMPONENT }),
  );
  result.outputsOfLastSuccessWhileInProgress = outputsOfLastSuccess.outputs;
  await proton.send(
    new NotifyResourceDeploymentStatusChangeCommand({
      resourceArn: componentArn,
      status: 'SUCCEEDED',
      outputs: [
        { key: 'BucketArn', valueString: 'arn:aws:s3:::js-bucket-v2' },
        { key: 'BucketName', valueString: 'js-bucket-v2' },
      ],
    }),
  );
  result.afterNotify = await getComponent(COMPONENT);
  const outputs = await proton.send(
    new ListComponentOutputsCommand({ componentName: COMPONENT }),
  );
  result.outputs = { outputs: outputs.outputs, nextToken: outputs.nextToken ?? null };
  const outputsOfCreate = await proton.send(
    new ListComponentOutputsCommand({
      componentName: COMPONENT,
      deploymentId: created.component.lastAttemptedDeploymentId,
    }),
  );
  result.outputsOfCreate = outputsOfCreate.outputs;
  result.errors.notifyAfterSuccess = await expectError(() =>
    proton.send(
      new NotifyResourceDeploymentStatusChangeCommand({
        resourceArn: componentArn,
        status: 'SUCCEEDED',
      }),
    ),
  );
  const provisioned = await proton.send(
    new ListComponentProvisionedResourcesCommand({ componentName: COMPONENT }),
  );
  result.provisionedResources = provisioned.provisionedResources;

  // The component's deployments, oldest first; the attaching one in full.
  const deployments = await proton.send(new ListDeploymentsCommand({ componentName: COMPONENT }));
  result.deploymentsBeforeDetach = plain(deployments.deployments);
  const attachDeployment = await proton.send(
    new GetDeploymentCommand({ id: attaching.component.lastAttemptedDeploymentId }),
  );
  result.attachDeployment = plain(attachDeployment.deployment);
  const redeployDeployment = await proton.send(
    new GetDeploymentCommand({ id: redeployId, componentName: COMPONENT }),
  );
  result.redeployDeployment = plain(redeployDeployment.deployment);
  const summary = await proton.send(new GetResourcesSummaryCommand({}));
  result.resourcesSummary = summary.counts;

  // Detach (both names ""): the inputs go; then the service can go.
  const detaching = await proton.send(
    new UpdateComponentCommand({
      name: COMPONENT,
      deploymentType: 'CURRENT_VERSION',
      serviceName: '',
      serviceInstanceName: '',
    }),
  );
  result.detaching = plain(detaching.component);
  result.waiters.componentDetached = await waitFor(waitUntilComponentDeployed, {
    name: COMPONENT,
  });
  result.afterDetach = await getComponent(COMPONENT);
  result.listByServiceAfterDetach = await listComponentNames({ serviceName: SERVICE });
  const allDeployments = await proton.send(
    new ListDeploymentsCommand({ componentName: COMPONENT }),
  );
  result.deployments = plain(allDeployments.deployments);

  const serviceDeleted = await proton.send(new DeleteServiceCommand({ name: SERVICE }));
  result.serviceDeletion = plain(serviceDeleted.service);
  result.waiters.serviceDeleted = await waitFor(waitUntilServiceDeleted, { name: SERVICE });

  // DeleteComponent: DELETE_IN_PROGRESS for one read, then gone (waiter).
  const deleted = await proton.send(new DeleteComponentCommand({ name: COMPONENT }));
  result.delete = plain(deleted.component);
  result.waiters.componentDeleted = await waitFor(waitUntilComponentDeleted, {
    name: COMPONENT,
  });
  result.errors.getAfterDelete = await expectError(() =>
    proton.send(new GetComponentCommand({ name: COMPONENT })),
  );
  result.errors.outputsAfterDelete = await expectError(() =>
    proton.send(new ListComponentOutputsCommand({ componentName: COMPONENT })),
  );
  result.componentsAfterDelete = await listComponentNames({});

  // Linked repositories.
  const repository = await proton.send(
    new CreateRepositoryCommand({
      name: 'js-org/js-infra',
      provider: 'GITHUB',
      connectionArn: CONNECTION,
      tags: [{ key: 'team', value: 'js' }],
    }),
  );
  result.createRepository = plain(repository.repository);
  const enterprise = await proton.send(
    new CreateRepositoryCommand({
      name: 'js-org/js-enterprise',
      provider: 'GITHUB_ENTERPRISE',
      connectionArn: CONNECTION,
      encryptionKey: `arn:aws:kms:us-east-1:${ACCOUNT}:key/js-key`,
    }),
  );
  result.createEnterpriseRepository = plain(enterprise.repository);
  result.errors.duplicateRepository = await expectError(() =>
    proton.send(
      new CreateRepositoryCommand({
        name: 'js-org/js-infra',
        provider: 'GITHUB',
        connectionArn: CONNECTION,
      }),
    ),
  );
  const gotRepository = await proton.send(
    new GetRepositoryCommand({ name: 'js-org/js-infra', provider: 'GITHUB' }),
  );
  result.getRepository = plain(gotRepository.repository);
  const repositoryTags = await proton.send(
    new ListTagsForResourceCommand({ resourceArn: repository.repository.arn }),
  );
  result.repositoryTags = repositoryTags.tags;
  const repositories = await proton.send(new ListRepositoriesCommand({}));
  result.listRepositories = {
    repositories: plain(repositories.repositories),
    nextToken: repositories.nextToken ?? null,
  };
  result.errors.unknownRepository = await expectError(() =>
    proton.send(new GetRepositoryCommand({ name: 'js-org/js-nope', provider: 'GITHUB' })),
  );
  result.errors.repositoryOfOtherProvider = await expectError(() =>
    proton.send(new GetRepositoryCommand({ name: 'js-org/js-infra', provider: 'BITBUCKET' })),
  );
  const deletedRepository = await proton.send(
    new DeleteRepositoryCommand({ name: 'js-org/js-infra', provider: 'GITHUB' }),
  );
  result.deleteRepository = plain(deletedRepository.repository);
  result.errors.getRepositoryAfterDelete = await expectError(() =>
    proton.send(new GetRepositoryCommand({ name: 'js-org/js-infra', provider: 'GITHUB' })),
  );
  const repositoriesLeft = await proton.send(new ListRepositoriesCommand({}));
  result.repositoriesAfterDelete = repositoriesLeft.repositories.map((r) => r.name);

  return result;
}

await report(main);
