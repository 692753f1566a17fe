global using Bittensor.Runtime;
