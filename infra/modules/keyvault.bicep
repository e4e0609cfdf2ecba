// The vault for the hub's secrets, in RBAC mode. The template creates no secret: their values never
// pass through a template, a parameter file or a deployment history. An operator sets them (see
// docs/deploy.md); the app reads them through Key Vault references with its identity.

param location string
param keyVaultName string
param identityPrincipalId string

@description('Purge protection cannot be turned off again once on; off only for a throw-away demo environment.')
param enablePurgeProtection bool = true

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // ARM refuses false here; leaving it out is how it stays off.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

var secretsUser = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

resource secretsUserAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityPrincipalId, secretsUser)
  scope: vault
  properties: {
    roleDefinitionId: secretsUser
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output keyVaultName string = vault.name
