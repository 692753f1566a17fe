using Bittensor.ServiceDefaults;
using Bittensor.Workers;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(args);
builder.Configuration["Worker:Role"] ??= "miner";
builder.AddServiceDefaults();
builder.AddBittensorClient();
builder.Services.AddBittensorWorkers();
builder.Build().Run();
