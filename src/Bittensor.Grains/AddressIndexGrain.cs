using Bittensor.Grains.Storage;

namespace Bittensor.Grains;

/// <summary>A shard of the address index; see <see cref="IAddressIndex"/>.</summary>
public sealed class AddressIndexGrain : LedgerGrain<AddressIndexState, string>, IAddressIndex
{
    protected override string StateName => "index";

    protected override void Apply(AddressIndexState state, string address) => state.Addresses.Add(address);
}
