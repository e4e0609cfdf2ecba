// The demo environment: the parties of demo/hub-config.json. Secrets are not here: set them in the
// Key Vault after the deployment (docs/deploy.md).
using 'main.bicep'

param name = 'fhub-demo'

// Replace with the client id of the app registration made for the demo (docs/deploy.md, "Easy Auth").
param authClientId = '00000000-0000-0000-0000-000000000000'

param providers = [
  { id: 'cjg' }
  { id: 'basta' }
  { id: 'pak-je-kans' }
  { id: 'alles-kidzzz' }
  { id: 'pit' }
  { id: 'veilig-thuis' }
]

param secretPartyIds = [
  // partners
  'obs-de-regenboog'
  'cbs-de-wegwijzer'
  'politie-basisteam-voorbeeldstad'
  'jongerenwerk-voorbeeldstad'
  // providers
  'cjg'
  'basta'
  'pak-je-kans'
  'alles-kidzzz'
  'pit'
  'veilig-thuis'
  // subscribers
  'gemeente-jeugd'
]

param smtpHost = 'smtp.voorbeeldstad.example'
param smtpUser = 'jeugd-hub'
param smtpFrom = 'jeugd@voorbeeldstad.example'
param smtpFromName = 'Gemeente Voorbeeldstad'

// A throw-away environment: its vault may be purged and made again under the same name.
param keyVaultPurgeProtection = false
