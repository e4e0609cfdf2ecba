// The provider inboxes: one Service Bus queue inbox-{providerId} per provider. The hub sends with
// its identity (Data Sender on the namespace); a provider receives from its own queue only (Data
// Receiver on that queue), never from another provider's.

import { provider } from '../types.bicep'

param location string
param namespaceName string
param providers provider[]
param identityPrincipalId string

@description('How long Service Bus remembers a MessageId (= referralId) to drop a repeat. Parked intake messages may be replayed days later, so the maximum.')
param duplicateDetectionWindow string = 'P7D'

@description('How long a referral waits in an inbox before it expires into the dead-letter queue.')
param messageTimeToLive string = 'P14D'

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: namespaceName
  location: location
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [
  for p in providers: {
    parent: namespace
    name: 'inbox-${p.id}'
    properties: {
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
      deadLetteringOnMessageExpiration: true
      defaultMessageTimeToLive: messageTimeToLive
      maxDeliveryCount: 10
      lockDuration: 'PT1M'
    }
  }
]

var dataSender = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39')
var dataReceiver = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0')

resource sender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace.id, identityPrincipalId, dataSender)
  scope: namespace
  properties: {
    roleDefinitionId: dataSender
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Scoped to the queue of the same index: queues and receivers loop over the same list.
resource receivers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (p, i) in providers: if (!empty(p.?receiverPrincipalId ?? '')) {
    name: guid(queues[i].id, p.?receiverPrincipalId ?? '', dataReceiver)
    scope: queues[i]
    properties: {
      roleDefinitionId: dataReceiver
      principalId: p.?receiverPrincipalId ?? ''
      principalType: p.?receiverPrincipalType ?? 'ServicePrincipal'
    }
  }
]

output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
