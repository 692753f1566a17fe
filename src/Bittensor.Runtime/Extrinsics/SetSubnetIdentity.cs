using System.Text;
using Bittensor.Runtime;
using Bittensor.Runtime.Extrinsics;

namespace Bittensor
{
    /// <summary>
    /// A subnet's public identity, as subtensor's <c>SubnetIdentityOfV3</c>; each field is UTF-8 text within
    /// <see cref="SubnetIdentity.Limits"/> bytes, empty when not given.
    /// </summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.SubnetIdentity")]
    public sealed record SubnetIdentity
    {
        [Id(0)] public string SubnetName { get; init; } = "";
        [Id(1)] public string GithubRepo { get; init; } = "";
        [Id(2)] public string SubnetContact { get; init; } = "";
        [Id(3)] public string SubnetUrl { get; init; } = "";
        [Id(4)] public string Discord { get; init; } = "";
        [Id(5)] public string Description { get; init; } = "";
        [Id(6)] public string LogoUrl { get; init; } = "";
        [Id(7)] public string Additional { get; init; } = "";

        /// <summary>Each field's call argument and its most UTF-8 bytes (subtensor's <c>is_valid_subnet_identity</c>).</summary>
        public static readonly IReadOnlyList<(string Field, int MaxBytes)> Limits =
        [
            ("subnet_name", 256), ("github_repo", 1024), ("subnet_contact", 1024), ("subnet_url", 1024),
            ("discord", 256), ("description", 1024), ("logo_url", 1024), ("additional", 1024),
        ];

        /// <summary>The fields in the order of <see cref="Limits"/>.</summary>
        public IReadOnlyList<string> Fields => [SubnetName, GithubRepo, SubnetContact, SubnetUrl, Discord, Description, LogoUrl, Additional];

        /// <summary>
        /// The first rule the identity breaks, or null: a field over its byte limit (subtensor), or a control character
        /// (here: identities are shown in terminals and web pages, where a control character could rewrite what is shown).
        /// </summary>
        public string? Problem()
        {
            var fields = Fields;
            for (int k = 0; k < Limits.Count; k++)
            {
                var (field, max) = Limits[k];
                int bytes = Encoding.UTF8.GetByteCount(fields[k]);
                if (bytes > max) return $"{field} is {bytes} bytes of UTF-8; at most {max}";
                foreach (char ch in fields[k])
                    if (char.IsControl(ch)) return $"{field} contains the control character U+{(int)ch:X4}";
            }
            return null;
        }
    }

    /// <summary>The subnet owner (coldkey) sets the subnet's identity (subtensor's <c>set_subnet_identity</c>), replacing the previous one.</summary>
    [GenerateSerializer, Immutable, Alias("Bittensor.SetSubnetIdentity")]
    public sealed record SetSubnetIdentity : Operation
    {
        [Id(0)] public required ushort Netuid { get; init; }
        [Id(1)] public required SubnetIdentity Identity { get; init; }
    }
}

namespace Bittensor.Runtime.Extrinsics
{
    /// <summary><c>set_subnet_identity</c>: see <see cref="SetSubnetIdentity"/>.</summary>
    public sealed class SetSubnetIdentityCall : Extrinsic<SetSubnetIdentity>
    {
        /// <summary>Longest text a field may carry in a payload, in characters (the byte limits are the chain's rule, checked when planned).</summary>
        private const int MaxChars = 4096;

        public override string Name => "set_subnet_identity";

        public override SetSubnetIdentity Parse(CallArgs a, string signer) => new()
        {
            Signer = signer,
            Netuid = a.U16("netuid"),
            Identity = new SubnetIdentity
            {
                SubnetName = a.OptionalText("subnet_name", MaxChars), GithubRepo = a.OptionalText("github_repo", MaxChars),
                SubnetContact = a.OptionalText("subnet_contact", MaxChars), SubnetUrl = a.OptionalText("subnet_url", MaxChars),
                Discord = a.OptionalText("discord", MaxChars), Description = a.OptionalText("description", MaxChars),
                LogoUrl = a.OptionalText("logo_url", MaxChars), Additional = a.OptionalText("additional", MaxChars),
            },
        };

        public override ValueTask<OpResult> PlanAsync(ChainPlan plan, SetSubnetIdentity s)
        {
            var e = plan.Economy(s.Netuid);
            if (e is null) return ValueTask.FromResult(Fail(plan, Codes.SubnetNotFound, $"no subnet has netuid {s.Netuid}"));
            if (s.Signer != e.OwnerColdkey) return ValueTask.FromResult(Fail(plan, Codes.NotOwner, $"only the owner's coldkey may set subnet {s.Netuid}'s identity"));
            if (s.Identity.Problem() is { } problem) return ValueTask.FromResult(Fail(plan, Codes.InvalidIdentity, problem));
            e.Identity = s.Identity;
            plan.Emit(new ChainEvent { Kind = EventKinds.SubnetIdentitySet, Coldkey = s.Signer, Netuid = s.Netuid });
            return ValueTask.FromResult(Done(plan, netuid: s.Netuid));
        }
    }
}
