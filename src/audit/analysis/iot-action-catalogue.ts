/**
 * The AWS IoT action catalogue that action wildcards (`iot:*`, `iot:Update*`, `*`) expand against
 * before the audit classifies them. The control-plane actions are the operations of the AWS IoT
 * service model (`iot-2015-05-28`). The data-plane actions come from the AWS IoT Core policy
 * action list: MQTT, Device Shadow, retained messages, jobs over HTTPS and the credential provider.
 */

/** The operations of the AWS IoT API, each also the name of its IAM action after `iot:`. */
const CONTROL_PLANE_OPERATIONS = `
  AcceptCertificateTransfer AddThingToBillingGroup AddThingToThingGroup
  AssociateSbomWithPackageVersion AssociateTargetsWithJob AttachPolicy AttachPrincipalPolicy
  AttachSecurityProfile AttachThingPrincipal CancelAuditMitigationActionsTask CancelAuditTask
  CancelCertificateTransfer CancelDetectMitigationActionsTask CancelJob CancelJobExecution
  ClearDefaultAuthorizer ConfirmTopicRuleDestination CreateAuditSuppression CreateAuthorizer
  CreateBillingGroup CreateCertificateFromCsr CreateCertificateProvider CreateCommand
  CreateCustomMetric CreateDimension CreateDomainConfiguration CreateDynamicThingGroup
  CreateFleetMetric CreateJob CreateJobTemplate CreateKeysAndCertificate CreateMitigationAction
  CreateOTAUpdate CreatePackage CreatePackageVersion CreatePolicy CreatePolicyVersion
  CreateProvisioningClaim CreateProvisioningTemplate CreateProvisioningTemplateVersion
  CreateRoleAlias CreateScheduledAudit CreateSecurityProfile CreateStream CreateThing
  CreateThingGroup CreateThingType CreateTopicRule CreateTopicRuleDestination
  DeleteAccountAuditConfiguration DeleteAuditSuppression DeleteAuthorizer DeleteBillingGroup
  DeleteCACertificate DeleteCertificate DeleteCertificateProvider DeleteCommand
  DeleteCommandExecution DeleteCustomMetric DeleteDimension DeleteDomainConfiguration
  DeleteDynamicThingGroup DeleteFleetMetric DeleteJob DeleteJobExecution DeleteJobTemplate
  DeleteMitigationAction DeleteOTAUpdate DeletePackage DeletePackageVersion DeletePolicy
  DeletePolicyVersion DeleteProvisioningTemplate DeleteProvisioningTemplateVersion
  DeleteRegistrationCode DeleteRoleAlias DeleteScheduledAudit DeleteSecurityProfile DeleteStream
  DeleteThing DeleteThingGroup DeleteThingType DeleteTopicRule DeleteTopicRuleDestination
  DeleteV2LoggingLevel DeprecateThingType DescribeAccountAuditConfiguration DescribeAuditFinding
  DescribeAuditMitigationActionsTask DescribeAuditSuppression DescribeAuditTask
  DescribeAuthorizer DescribeBillingGroup DescribeCACertificate DescribeCertificate
  DescribeCertificateProvider DescribeCustomMetric DescribeDefaultAuthorizer
  DescribeDetectMitigationActionsTask DescribeDimension DescribeDomainConfiguration
  DescribeEncryptionConfiguration DescribeEndpoint DescribeEventConfigurations
  DescribeFleetMetric DescribeIndex DescribeJob DescribeJobExecution DescribeJobTemplate
  DescribeManagedJobTemplate DescribeMitigationAction DescribeProvisioningTemplate
  DescribeProvisioningTemplateVersion DescribeRoleAlias DescribeScheduledAudit
  DescribeSecurityProfile DescribeStream DescribeThing DescribeThingGroup
  DescribeThingRegistrationTask DescribeThingType DetachPolicy DetachPrincipalPolicy
  DetachSecurityProfile DetachThingPrincipal DisableTopicRule DisassociateSbomFromPackageVersion
  EnableTopicRule GetBehaviorModelTrainingSummaries GetBucketsAggregation GetCardinality
  GetCommand GetCommandExecution GetEffectivePolicies GetIndexingConfiguration GetJobDocument
  GetLoggingOptions GetOTAUpdate GetPackage GetPackageConfiguration GetPackageVersion
  GetPercentiles GetPolicy GetPolicyVersion GetRegistrationCode GetStatistics
  GetThingConnectivityData GetTopicRule GetTopicRuleDestination GetV2LoggingOptions
  ListActiveViolations ListAttachedPolicies ListAuditFindings
  ListAuditMitigationActionsExecutions ListAuditMitigationActionsTasks ListAuditSuppressions
  ListAuditTasks ListAuthorizers ListBillingGroups ListCACertificates ListCertificateProviders
  ListCertificates ListCertificatesByCA ListCommandExecutions ListCommands ListCustomMetrics
  ListDetectMitigationActionsExecutions ListDetectMitigationActionsTasks ListDimensions
  ListDomainConfigurations ListFleetMetrics ListIndices ListJobExecutionsForJob
  ListJobExecutionsForThing ListJobTemplates ListJobs ListManagedJobTemplates ListMetricValues
  ListMitigationActions ListOTAUpdates ListOutgoingCertificates ListPackageVersions ListPackages
  ListPolicies ListPolicyPrincipals ListPolicyVersions ListPrincipalPolicies ListPrincipalThings
  ListPrincipalThingsV2 ListProvisioningTemplateVersions ListProvisioningTemplates
  ListRelatedResourcesForAuditFinding ListRoleAliases ListSbomValidationResults
  ListScheduledAudits ListSecurityProfiles ListSecurityProfilesForTarget ListStreams
  ListTagsForResource ListTargetsForPolicy ListTargetsForSecurityProfile ListThingGroups
  ListThingGroupsForThing ListThingPrincipals ListThingPrincipalsV2
  ListThingRegistrationTaskReports ListThingRegistrationTasks ListThingTypes ListThings
  ListThingsInBillingGroup ListThingsInThingGroup ListTopicRuleDestinations ListTopicRules
  ListV2LoggingLevels ListViolationEvents PutVerificationStateOnViolation RegisterCACertificate
  RegisterCertificate RegisterCertificateWithoutCA RegisterThing RejectCertificateTransfer
  RemoveThingFromBillingGroup RemoveThingFromThingGroup ReplaceTopicRule SearchIndex
  SetDefaultAuthorizer SetDefaultPolicyVersion SetLoggingOptions SetV2LoggingLevel
  SetV2LoggingOptions StartAuditMitigationActionsTask StartDetectMitigationActionsTask
  StartOnDemandAuditTask StartThingRegistrationTask StopThingRegistrationTask TagResource
  TestAuthorization TestInvokeAuthorizer TransferCertificate UntagResource
  UpdateAccountAuditConfiguration UpdateAuditSuppression UpdateAuthorizer UpdateBillingGroup
  UpdateCACertificate UpdateCertificate UpdateCertificateProvider UpdateCommand
  UpdateCustomMetric UpdateDimension UpdateDomainConfiguration UpdateDynamicThingGroup
  UpdateEncryptionConfiguration UpdateEventConfigurations UpdateFleetMetric
  UpdateIndexingConfiguration UpdateJob UpdateMitigationAction UpdatePackage
  UpdatePackageConfiguration UpdatePackageVersion UpdateProvisioningTemplate UpdateRoleAlias
  UpdateScheduledAudit UpdateSecurityProfile UpdateStream UpdateThing UpdateThingGroup
  UpdateThingGroupsForThing UpdateThingType UpdateTopicRuleDestination
  ValidateSecurityProfileBehaviors
`;

/** Actions that AWS IoT policies and IAM grant for devices rather than for administrators. */
const DATA_PLANE_OPERATIONS = `
  Connect Publish Subscribe Receive RetainPublish GetRetainedMessage ListRetainedMessages
  GetThingShadow UpdateThingShadow DeleteThingShadow ListNamedShadowsForThing DeleteConnection
  GetPendingJobExecutions StartNextPendingJobExecution UpdateJobExecution AssumeRoleWithCertificate
`;

function actionNames(list: string): string[] {
  return list
    .trim()
    .split(/\s+/)
    .map((name) => `iot:${name}`);
}

/** Every AWS IoT action name, `iot:` prefixed, without duplicates. */
export const IOT_ACTIONS: readonly string[] = [
  ...new Set([...actionNames(CONTROL_PLANE_OPERATIONS), ...actionNames(DATA_PLANE_OPERATIONS)]),
];
