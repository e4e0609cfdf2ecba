// Types shared by main.bicep and its modules.

@export()
@description('A provider: its inbox queue is inbox-{id}; receiverPrincipalId (optional) is the Entra object id that may read that queue, and only that queue.')
type provider = {
  @description('The provider id of the configuration document: lowercase letters, digits and hyphens.')
  id: string

  @description('Object id of the provider\'s service principal (or group) that receives from inbox-{id}.')
  receiverPrincipalId: string?

  @description('ServicePrincipal (default), Group or User.')
  receiverPrincipalType: ('ServicePrincipal' | 'Group' | 'User')?
}
