// FunctionsHub in one resource group: the function app on Flex Consumption with a user-assigned
// identity, its storage account, the Service Bus provider inboxes, the Key Vault for its secrets, and
// monitoring. No connection string, account key or secret value appears here or in the app settings:
// every connection is identity-based and every secret is a Key Vault reference. docs/deploy.md says
// how to deploy, publish, set the secrets and check the result.

import { provider } from 'types.bicep'

@description('Short name of the environment, used in every resource name (lowercase letters, digits, hyphens).')
@minLength(3)
@maxLength(16)
param name string

param location string = resourceGroup().location

@description('The providers of the configuration document: one Service Bus queue inbox-{id} each, and optionally the principal that reads it.')
@minLength(1)
param providers provider[]

@description('Every party with a webhook secret (partners, providers, subscribers): the app gets Hub__Secrets__{id with - as _} = a reference to Key Vault secret hub-secret-{id}.')
param secretPartyIds string[]

@description('NCRONTAB (6 fields, UTC) of the campaign run.')
param campaignsSchedule string = '0 0 7 * * *'

@description('NCRONTAB (6 fields, UTC) of the monthly digest.')
param digestSchedule string = '0 0 6 1 * *'

@description('NCRONTAB (6 fields, UTC) of the referral deadline check.')
param deadlinesSchedule string = '0 */15 * * * *'

@description('NCRONTAB (6 fields, UTC) of the daily retention purge.')
param retentionSchedule string = '0 30 2 * * *'

@description('The hub\'s public host name when it has its own domain (hub.voorbeeldstad.nl); empty: the app\'s default host name. Links in mails point here.')
param customDomain string = ''

@description('SMTP server for campaign e-mail to referrers; empty: no e-mail (campaigns go to partners by webhook only).')
param smtpHost string = ''
param smtpPort int = 587
param smtpUseTls bool = true
@description('SMTP user; when set, the password is read from Key Vault secret hub-smtp-password.')
param smtpUser string = ''
param smtpFrom string = ''
param smtpFromName string = ''

@description('Client id of the Entra app registration that protects the gemeente/operator endpoints (Easy Auth).')
param authClientId string

@description('Tenant of that app registration.')
param authTenantId string = tenant().tenantId

@description('Client ids of the applications allowed to call the protected endpoints; empty: any application of the tenant that can get a token for the app (restrict users with "assignment required").')
param authAllowedApplications string[] = []

@description('Off only for a throw-away environment: purge protection cannot be turned off once on.')
param keyVaultPurgeProtection bool = true

@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
  'Standard_GZRS'
])
param storageSku string = 'Standard_LRS'

@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

// The routes that are anonymous at the Functions level (routePrefix "api"): they authenticate by a
// Standard Webhooks signature, or are public on purpose. Easy Auth lets exactly these through
// without a token; every other route needs an Entra token on top of its function key.
// excludedPaths matches a path exactly, or everything under a prefix ending in "/*"; a wildcard
// inside a path is not supported. The tests derive the anonymous routes from the app and compare.
var anonymousPaths = [
  '/api/feeds/*' // POST feeds/{feed}/meldingen: partner intake, signed
  '/api/consents' // POST consents: signed
  '/api/referrals/*' // POST referrals/{referralId}/status: provider feedback, signed
  '/api/matches/*' // POST matches/{matchId}/contact: a referrer confirms contact about a match, signed
  '/api/health' // GET health: no data
  '/api/referrers/unsubscribe' // GET|POST referrers/unsubscribe: the link in a campaign mail
  '/api/openapi.json' // GET openapi.json: the partner API description
  '/api/meldingen/*' // GET meldingen/{meldingId}: the partner's signed status. Also lets meldingen/{meldingId}/audit
  // through without a token, on its function key alone: no entry can tell them apart. See docs/deploy.md, "Easy Auth".
]

var suffix = uniqueString(resourceGroup().id, name)
var compactName = replace(name, '-', '')
var storageAccountName = take('st${compactName}${suffix}', 24)
var keyVaultName = 'kv${take(compactName, 9)}${suffix}'
var serviceBusName = 'sb-${name}-${suffix}'
var appName = 'func-${name}-${suffix}'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${name}'
  location: location
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: 'log-${name}'
    appInsightsName: 'appi-${name}'
    identityPrincipalId: identity.properties.principalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    storageAccountName: storageAccountName
    skuName: storageSku
    deploymentContainerName: 'app-package'
    configContainerName: 'config'
    identityPrincipalId: identity.properties.principalId
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    namespaceName: serviceBusName
    providers: providers
    identityPrincipalId: identity.properties.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    keyVaultName: keyVaultName
    enablePurgeProtection: keyVaultPurgeProtection
    identityPrincipalId: identity.properties.principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    planName: 'plan-${name}'
    appName: appName
    identityId: identity.id
    identityClientId: identity.properties.clientId
    // Module outputs, not the names above: the app waits for the role assignments in those modules.
    storageAccountName: storage.outputs.storageAccountName
    deploymentContainerName: 'app-package'
    configContainerName: 'config'
    appInsightsName: monitoring.outputs.appInsightsName
    keyVaultName: keyVault.outputs.keyVaultName
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    secretPartyIds: secretPartyIds
    campaignsSchedule: campaignsSchedule
    digestSchedule: digestSchedule
    deadlinesSchedule: deadlinesSchedule
    retentionSchedule: retentionSchedule
    customDomain: customDomain
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpUseTls: smtpUseTls
    smtpUser: smtpUser
    smtpFrom: smtpFrom
    smtpFromName: smtpFromName
    authClientId: authClientId
    authTenantId: authTenantId
    authAllowedApplications: authAllowedApplications
    anonymousPaths: anonymousPaths
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

output functionAppName string = functionApp.outputs.appName
output functionAppHostName string = functionApp.outputs.defaultHostName
output storageAccountName string = storageAccountName
output keyVaultName string = keyVaultName
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output identityClientId string = identity.properties.clientId
