// The hub itself: a Flex Consumption plan (FC1, Linux) and the function app on it, with the
// user-assigned identity for everything (storage, deployment package, Service Bus, Key Vault
// references, Application Insights), its app settings, and Easy Auth (Microsoft Entra ID) in front
// of every route except the ones the app authenticates itself.

param location string
param planName string
param appName string
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerName string
param configContainerName string
param appInsightsName string
param keyVaultName string
param serviceBusNamespace string
param secretPartyIds string[]
param campaignsSchedule string
param digestSchedule string
param deadlinesSchedule string
param retentionSchedule string
param customDomain string
param smtpHost string
param smtpPort int
param smtpUseTls bool
param smtpUser string
param smtpFrom string
param smtpFromName string
param authClientId string
param authTenantId string
param authAllowedApplications string[]
param anonymousPaths string[]
param maximumInstanceCount int
param instanceMemoryMB int

// A reference the platform resolves with keyVaultReferenceIdentity; no version, so a rotated secret is
// picked up (within a day, or at once on a restart).
func keyVaultReference(vault string, secret string) string => '@Microsoft.KeyVault(VaultName=${vault};SecretName=${secret})'

// App settings on Linux cannot hold '-': a party id's hyphens become '_' (the app looks up both forms).
func secretSettingName(partyId string) string => 'Hub__Secrets__${replace(partyId, '-', '_')}'

var storageSuffix = environment().suffixes.storage
var blobEndpoint = 'https://${storageAccountName}.blob.${storageSuffix}'

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}/${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // The runtime lives here on Flex Consumption: FUNCTIONS_WORKER_RUNTIME and
      // FUNCTIONS_EXTENSION_VERSION are refused as app settings.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Publishing goes through Entra ID (az CLI / one deploy), never with basic credentials.
resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

var platformSettings = {
  AzureWebJobsStorage__blobServiceUri: '${blobEndpoint}/'
  AzureWebJobsStorage__queueServiceUri: 'https://${storageAccountName}.queue.${storageSuffix}/'
  AzureWebJobsStorage__tableServiceUri: 'https://${storageAccountName}.table.${storageSuffix}/'
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
}

var hubSettings = {
  Hub__ConfigUrl: '${blobEndpoint}/${configContainerName}/hub-config.json'
  Hub__PseudonymKey: keyVaultReference(keyVaultName, 'hub-pseudonym-key')
  Hub__Inbox__Transport: 'ServiceBus'
  // Identity-based, as the Functions host names connections: the namespace and the user-assigned identity.
  Hub__ServiceBus__FullyQualifiedNamespace: serviceBusNamespace
  Hub__ServiceBus__ClientId: identityClientId
  Hub__Schedules__Campaigns: campaignsSchedule
  Hub__Schedules__Digest: digestSchedule
  Hub__Schedules__Deadlines: deadlinesSchedule
  Hub__Schedules__Retention: retentionSchedule
  Hub__PublicUrl: empty(customDomain) ? 'https://${site.properties.defaultHostName}/' : 'https://${customDomain}/'
}

var secretSettings = toObject(secretPartyIds, id => secretSettingName(id), id => keyVaultReference(keyVaultName, 'hub-secret-${id}'))

var smtpSettings = empty(smtpHost)
  ? {}
  : union(
      {
        Hub__Smtp__Host: smtpHost
        Hub__Smtp__Port: string(smtpPort)
        Hub__Smtp__UseTls: smtpUseTls ? 'true' : 'false'
        Hub__Smtp__From: smtpFrom
        Hub__Smtp__FromName: smtpFromName
      },
      // The hub authenticates only with a user; the password then comes from Key Vault.
      empty(smtpUser)
        ? {}
        : {
            Hub__Smtp__User: smtpUser
            Hub__Smtp__Password: keyVaultReference(keyVaultName, 'hub-smtp-password')
          }
    )

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(platformSettings, hubSettings, secretSettings, smtpSettings)
}

resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
      runtimeVersion: '~1'
    }
    globalValidation: {
      requireAuthentication: true
      // An API: no login page, a 401 for a call without a valid token.
      unauthenticatedClientAction: 'Return401'
      excludedPaths: anonymousPaths
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${authClientId}'
            authClientId
          ]
          // Without a list any client application of the tenant may call; with one, only those.
          defaultAuthorizationPolicy: empty(authAllowedApplications)
            ? null
            : {
                allowedApplications: authAllowedApplications
              }
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

output appName string = site.name
output defaultHostName string = site.properties.defaultHostName
