// Bittensor.Orleans on Azure: a Storage account (membership and grain state in Tables), a Container Apps environment,
// the silos (REST API + Orleans cluster) and the workers (miner, validator).
//   az deployment group create -g <group> -f infra/azure/main.bicep -p infra/azure/main.parameters.json
targetScope = 'resourceGroup'

@description('Where everything runs.')
param location string = resourceGroup().location

@description('Prefix of every resource name (lowercase letters and digits, 3-11 characters).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'bittensor'

@description('Silo image, e.g. myregistry.azurecr.io/bittensor-silo:1.0 (dotnet publish -t:PublishContainer).')
param siloImage string

@description('Miner image.')
param minerImage string

@description('Validator image.')
param validatorImage string

@description('Silo replicas: the cluster survives the loss of all but one.')
@minValue(1)
@maxValue(30)
param siloReplicas int = 3

@description('Orleans cluster id (one per deployment; Orleans__ClusterId).')
param clusterId string = 'bittensor-prod'

@description('Orleans service id (grain state is keyed by it: keep it across deployments; Orleans__ServiceId).')
param serviceId string = 'bittensor'

@description('The chain id signed transactions name (Chain__Id).')
param chainId string = 'bittensor-testnet'

@description('Development faucet (a test network only).')
param faucet bool = true

@description('Seeds of the workers\' development keys.')
@secure()
param workerKeySeed string

@description('The secret the silos share to prove a call\'s silo origin (Orleans:ClusterSecret, at least 32 characters; e.g. openssl rand -hex 32).')
@secure()
param clusterSecret string

var tables = [
  'OrleansSiloInstances'
  'OrleansGrainState'
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: '${namePrefix}${uniqueString(resourceGroup().id)}'
  location: location
  sku: { name: 'Standard_ZRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource table 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for name in tables: {
  parent: tableService
  name: name
}]

var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

// Silos reach each other replica to replica on the silo port, so the environment is on a virtual network.
resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = {
  name: '${namePrefix}-vnet'
  location: location
  properties: {
    addressSpace: { addressPrefixes: [ '10.40.0.0/16' ] }
    subnets: [
      {
        name: 'apps'
        properties: {
          addressPrefix: '10.40.0.0/23'
          delegations: [ { name: 'apps', properties: { serviceName: 'Microsoft.App/environments' } } ]
        }
      }
    ]
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${namePrefix}-env'
  location: location
  properties: {
    vnetConfiguration: { infrastructureSubnetId: vnet.properties.subnets[0].id }
    workloadProfiles: [ { name: 'Consumption', workloadProfileType: 'Consumption' } ]
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

var clusterEnv = [
  { name: 'Storage__Kind', value: 'AzureTable' }
  { name: 'Storage__ConnectionString', secretRef: 'storage-connection' }
  { name: 'Orleans__ServiceId', value: serviceId }
  { name: 'Orleans__ClusterId', value: clusterId }
]

resource silo 'Microsoft.App/containerApps@2024-03-01' = {
  name: '${namePrefix}-silo'
  location: location
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      secrets: [ { name: 'storage-connection', value: storageConnection }, { name: 'cluster-secret', value: clusterSecret } ]
      ingress: {
        external: true
        targetPort: 8080
        transport: 'http'
        additionalPortMappings: [
          { external: false, targetPort: 11111 }
          { external: false, targetPort: 30000 }
        ]
      }
    }
    template: {
      scale: { minReplicas: siloReplicas, maxReplicas: siloReplicas }
      containers: [
        {
          name: 'silo'
          image: siloImage
          resources: { cpu: json('1.0'), memory: '2Gi' }
          env: concat(clusterEnv, [
            { name: 'ASPNETCORE_ENVIRONMENT', value: 'Production' }
            { name: 'ASPNETCORE_URLS', value: 'http://+:8080' }
            { name: 'Orleans__SiloPort', value: '11111' }
            { name: 'Orleans__GatewayPort', value: '30000' }
            { name: 'Orleans__ListenOnAnyHostAddress', value: 'true' }
            { name: 'Orleans__ClusterSecret', secretRef: 'cluster-secret' }
            // Silo links stay inside the Container Apps environment's private network; for TLS on them, mount a
            // certificate and set Orleans__Tls__Certificate instead (docs/security.md).
            { name: 'Orleans__Tls__AllowPlaintext', value: 'true' }
            { name: 'Chain__Id', value: chainId }
            { name: 'Chain__Faucet', value: string(faucet) }
            { name: 'Chain__Testnet', value: string(faucet) }
            { name: 'Chain__GenesisIssuance', value: '1000000000000000' }
          ])
          probes: [
            { type: 'Startup', httpGet: { path: '/health/live', port: 8080 }, periodSeconds: 2, failureThreshold: 60 }
            { type: 'Liveness', httpGet: { path: '/health/live', port: 8080 }, periodSeconds: 10, failureThreshold: 3 }
            { type: 'Readiness', httpGet: { path: '/health/ready', port: 8080 }, periodSeconds: 5, failureThreshold: 2 }
          ]
        }
      ]
    }
  }
  dependsOn: [ table ]
}

var workers = [
  { name: 'miner', image: minerImage, profiles: 'honest,honest,slow,lazy,copier', seedDemo: 'false' }
  { name: 'validator', image: validatorImage, profiles: 'honest,honest', seedDemo: 'true' }
]

resource worker 'Microsoft.App/containerApps@2024-03-01' = [for w in workers: {
  name: '${namePrefix}-${w.name}'
  location: location
  properties: {
    environmentId: environment.id
    workloadProfileName: 'Consumption'
    configuration: {
      secrets: [
        { name: 'storage-connection', value: storageConnection }
        { name: 'worker-key-seed', value: workerKeySeed }
      ]
    }
    template: {
      scale: { minReplicas: 1, maxReplicas: 1 }
      containers: [
        {
          name: w.name
          image: w.image
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: concat(clusterEnv, [
            { name: 'DOTNET_ENVIRONMENT', value: 'Production' }
            { name: 'Worker__Task', value: 'matmul' }
            { name: 'Worker__Profiles', value: w.profiles }
            { name: 'Worker__SeedDemo', value: w.seedDemo }
            { name: 'Worker__KeySeed', secretRef: 'worker-key-seed' }
          ])
        }
      ]
    }
  }
  dependsOn: [ silo ]
}]

@description('The REST API and explorer.')
output apiUrl string = 'https://${silo.properties.configuration.ingress.fqdn}'

@description('The storage account holding membership and grain state.')
output storageAccount string = storage.name
