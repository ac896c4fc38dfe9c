//! The diagnostic codes this crate can emit, each with what it means.
//!
//! Every [`Diagnostic`](crate::Diagnostic) carries a `code`: a dotted identifier of the rule
//! that produced it, such as `vpc.subnet.vlan-required`. The first segment says where the
//! rule lives:
//!
//! - `load.*`, `decode.*`: reading the text (YAML/JSON syntax, limits, duplicate keys and
//!   objects, unknown fields, values of the wrong type);
//! - `schema.*`: the CRD's OpenAPI schema, as the Kubernetes API server checks it;
//! - `meta.*` and one segment per kind (`vpc.*`, `switch.*`, `connection.*`, …): the
//!   per-object rules of upstream's `Validate()`;
//! - `fabric.*`: the rules across objects (references, uniqueness, address plans), with
//!   `fabric.change.*` for the rules the API server's webhooks apply to a change;
//! - `hydrate.*`: hydration of the wiring (addresses and ASNs), as hhfab does it;
//! - `config.*`: the fabric configuration.
//!
//! Codes are stable: programs may match on them. A code is never renamed and never reused
//! for another rule; a new rule gets a new code, and the message text next to the code may
//! change at any time. Most codes are errors; the few warnings say so in their meaning.
//!
//! [`DIAGNOSTICS`] lists every code, sorted. A test reads the crate's source and fails when a
//! code is emitted that the list lacks, or listed that nothing emits, so the list cannot go
//! stale.

use serde::Serialize;

/// One diagnostic code and what it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    /// The code, as in [`Diagnostic::code`](crate::Diagnostic::code).
    pub code: &'static str,
    /// What is wrong and, where useful, what to do about it, in one or two sentences.
    pub meaning: &'static str,
}

/// Every diagnostic code the crate can emit, sorted by code.
pub const DIAGNOSTICS: &[CodeInfo] = &[
    c(
        "config.agent-repo.required",
        "The fabric configuration has no agentRepo (the registry path switch agents are pulled from); set it in the fabric config (fab.yaml).",
    ),
    c(
        "config.api-server.required",
        "The fabric configuration has no apiServer address; set it in the fabric config (fab.yaml).",
    ),
    c(
        "config.base-vpc-community.required",
        "The fabric configuration has no baseVPCCommunity (the BGP community VPC routes are tagged from); set it in the fabric config.",
    ),
    c(
        "config.control-vip.required",
        "The fabric configuration has no controlVIP (the control node's virtual IP); set it in the fabric config.",
    ),
    c(
        "config.default-max-paths-ebgp.required",
        "The fabric configuration's defaultMaxPathsEBGP is 0 or missing; set the eBGP multipath limit to a positive number.",
    ),
    c(
        "config.deployment-id.invalid",
        "The fabric configuration's deploymentID has characters other than letters, digits and inner dashes; use only those, starting with a letter or digit.",
    ),
    c(
        "config.deployment-id.too-long",
        "The fabric configuration's deploymentID is longer than 16 characters; shorten it.",
    ),
    c(
        "config.deployment-id.too-short",
        "The fabric configuration's deploymentID is shorter than 3 characters; lengthen it or leave it empty.",
    ),
    c(
        "config.eslag-esi-prefix.invalid",
        "The fabric configuration's eslagESIPrefix is not a 12-hex-digit prefix such as 00:f2:00:00:; fix its format.",
    ),
    c(
        "config.eslag-esi-prefix.required",
        "The fabric configuration has no eslagESIPrefix (the prefix of ESLAG Ethernet segment identifiers); set it.",
    ),
    c(
        "config.eslag-mac-base.invalid",
        "The fabric configuration's eslagMACBase does not parse as a MAC address; write it as six colon-separated hex bytes.",
    ),
    c(
        "config.eslag-mac-base.not-48-bit",
        "The fabric configuration's eslagMACBase parses but is not a 48-bit MAC address; use six bytes, not eight or twenty.",
    ),
    c(
        "config.eslag-mac-base.required",
        "The fabric configuration has no eslagMACBase (the base MAC address for ESLAG groups); set it.",
    ),
    c(
        "config.fabric-mode.invalid",
        "The fabric configuration's fabricMode is not spine-leaf, the only mode supported; set it to spine-leaf.",
    ),
    c(
        "config.fabric-mode.required",
        "The fabric configuration has no fabricMode; set it to spine-leaf.",
    ),
    c(
        "config.fabric-mtu.required",
        "The fabric configuration's fabricMTU is 0 or missing; set the MTU of fabric links (9100 by default).",
    ),
    c(
        "config.fabric-mtu.too-large",
        "The fabric configuration's fabricMTU is above 9216; lower it.",
    ),
    c(
        "config.gateway-asn.required",
        "The fabric configuration's gatewayASN is 0 or missing; set the ASN of the gateways.",
    ),
    c(
        "config.gateway-communities.invalid",
        "An entry of the fabric configuration's gatewayCommunities is not a community of the form <0-65535>:<0-65535>; fix that entry.",
    ),
    c(
        "config.leaf-asn-end.required",
        "The fabric configuration's leafASNEnd is 0 or missing; set the end of the leaf ASN range.",
    ),
    c(
        "config.leaf-asn-start.required",
        "The fabric configuration's leafASNStart is 0 or missing; set the start of the leaf ASN range.",
    ),
    c(
        "config.leaf-asn.range-invalid",
        "The fabric configuration's leaf ASN range ends before it starts (leafASNEnd < leafASNStart); swap or fix the bounds.",
    ),
    c(
        "config.management-dhcp-end.invalid",
        "The fabric configuration's managementDHCPEnd is not an IP address inside managementSubnet; pick an address in that subnet.",
    ),
    c(
        "config.management-dhcp-end.required",
        "The fabric configuration has no managementDHCPEnd (the end of the management DHCP range); set it.",
    ),
    c(
        "config.management-dhcp-start.invalid",
        "The fabric configuration's managementDHCPStart is not an IP address inside managementSubnet; pick an address in that subnet.",
    ),
    c(
        "config.management-dhcp-start.required",
        "The fabric configuration has no managementDHCPStart (the start of the management DHCP range); set it.",
    ),
    c(
        "config.management-subnet.invalid",
        "The fabric configuration's managementSubnet is not a valid CIDR prefix; write it as address/length, e.g. 172.30.0.0/21.",
    ),
    c(
        "config.management-subnet.required",
        "The fabric configuration has no managementSubnet; set the management network's prefix.",
    ),
    c(
        "config.reserved-subnets.invalid",
        "An entry of the fabric configuration's reservedSubnets is not a valid CIDR prefix; fix that entry.",
    ),
    c(
        "config.reserved-subnets.required",
        "The fabric configuration's reservedSubnets is empty; list at least the fabric's own subnets so VPCs cannot overlap them.",
    ),
    c(
        "config.server-facing-mtu-offset.required",
        "The fabric configuration's serverFacingMTUOffset is 0 or missing; set how much smaller than fabricMTU server-facing MTUs must be (64 by default).",
    ),
    c(
        "config.spine-asn.in-leaf-range",
        "The fabric configuration's spineASN lies inside the leaf ASN range; move it outside leafASNStart..leafASNEnd.",
    ),
    c(
        "config.spine-asn.required",
        "The fabric configuration's spineASN is 0 or missing; set the ASN shared by the spines.",
    ),
    c(
        "config.users.field-required",
        "A user of the fabric configuration lacks a name, password or role; fill in the field named in the path.",
    ),
    c(
        "config.users.role-invalid",
        "A user of the fabric configuration has a role other than admin or operator; use one of those two.",
    ),
    c(
        "config.vlan-range.invalid",
        "One of the fabric configuration's reserved VLAN ranges (vpcIRBVLANRange, vpcPeeringVLANRange, th5WorkaroundVLANRange) has a bound outside 1..4094 or from > to; fix the range named in the path.",
    ),
    c(
        "config.vlan-range.required",
        "One of the fabric configuration's reserved VLAN ranges (vpcIRBVLANRange, vpcPeeringVLANRange, th5WorkaroundVLANRange) is empty; set it.",
    ),
    c(
        "config.vpc-loopback-subnet.required",
        "The fabric configuration has no vpcLoopbackSubnet; set the prefix used for VPC loopback links.",
    ),
    c(
        "connection.endpoints.ports-not-unique",
        "A connection names the same port more than once (or, for unbundled, both ends are the same port); give every link end its own port.",
    ),
    c(
        "connection.endpoints.server-count",
        "A server-facing connection (unbundled, bundled, ESLAG) does not link exactly one server; all its links must go to the same single server.",
    ),
    c(
        "connection.endpoints.switch-count",
        "A connection links the wrong number of switches for its type (one for unbundled, bundled, gateway and VPC loopback, two for fabric and mesh, one to four for ESLAG); fix its links.",
    ),
    c(
        "connection.fabric-mode.not-allowed",
        "An ESLAG or gateway connection is used while the fabric is not in spine-leaf mode; such connections need spine-leaf.",
    ),
    c(
        "connection.mclag.deprecated",
        "Warning: the connection is of the deprecated MCLAG type, which upstream no longer supports nor validates further; move to ESLAG.",
    ),
    c(
        "connection.mtu.too-large",
        "An unbundled or bundled connection's mtu exceeds fabricMTU minus serverFacingMTUOffset from the fabric configuration; lower the connection's mtu.",
    ),
    c(
        "connection.port.invalid-format",
        "A port name has an empty device or port part around its slash; write it as <device>/<port>, e.g. leaf-01/E1/1.",
    ),
    c(
        "connection.port.invalid-name",
        "A port name has no slash; write it as <device>/<port>, e.g. leaf-01/E1/1.",
    ),
    c(
        "connection.static-external.default-route-not-alone",
        "A static external connection lists 0.0.0.0/0 together with other subnets; the default route must be the only subnet.",
    ),
    c(
        "connection.static-external.ip-invalid",
        "A static external connection's ip is not a valid CIDR prefix; write it as address/length.",
    ),
    c(
        "connection.static-external.next-hop-invalid",
        "A static external connection's nextHop is not a valid IP address.",
    ),
    c(
        "connection.static-external.next-hop-outside",
        "A static external connection's nextHop is not inside the prefix of its ip; use a next hop on that link.",
    ),
    c(
        "connection.static-external.subnet-invalid",
        "A subnet of a static external connection is not a valid CIDR prefix.",
    ),
    c(
        "connection.static-external.subnet-not-canonical",
        "A subnet of a static external connection has host bits set (e.g. 10.0.0.5/24); write its network address (10.0.0.0/24).",
    ),
    c(
        "connection.static-external.subnets-overlap",
        "Two subnets of a static external connection overlap; make them disjoint.",
    ),
    c(
        "connection.static-external.subnets-reserved",
        "A subnet of a static external connection overlaps a subnet reserved by the fabric configuration; choose another subnet.",
    ),
    c(
        "connection.type.multiple",
        "Warning: several connection types are set in one spec; only the first (in upstream's order) is used and the others are ignored, so remove them.",
    ),
    c(
        "connection.type.none",
        "A connection's spec sets no connection type; set exactly one (unbundled, bundled, eslag, fabric, mesh, gateway, vpcLoopback, external or staticExternal).",
    ),
    c(
        "decode.invalid-value",
        "A field's value has the wrong type or shape for the API (e.g. text where a number is expected), so the object cannot be decoded; fix the value at the path.",
    ),
    c(
        "decode.unknown-field",
        "The object has a field the API does not define (upstream decodes strictly and refuses it); check its spelling and the apiVersion, or remove it.",
    ),
    c(
        "external-attachment.acl.action-invalid",
        "An inboundACL statement of an external attachment has an action that is not one of the allowed values; use permit or deny.",
    ),
    c(
        "external-attachment.acl.dst-prefix-invalid",
        "An inboundACL statement of an external attachment has a dstPrefix that is neither any nor a CIDR prefix.",
    ),
    c(
        "external-attachment.acl.dst-prefix-required",
        "An inboundACL statement of an external attachment has no dstPrefix; set a CIDR prefix or any.",
    ),
    c(
        "external-attachment.acl.icmp-protocol",
        "An inboundACL statement of an external attachment sets icmpType or icmpCode while its protocol is not icmp.",
    ),
    c(
        "external-attachment.acl.port-range-begin-zero",
        "An inboundACL statement of an external attachment has a port range whose portRangeBegin is 0; ports start at 1.",
    ),
    c(
        "external-attachment.acl.port-range-order",
        "An inboundACL statement of an external attachment has portRangeBegin greater than portRangeEnd; swap or fix the bounds.",
    ),
    c(
        "external-attachment.acl.port-range-protocol",
        "An inboundACL statement of an external attachment sets a port range while its protocol is neither tcp nor udp.",
    ),
    c(
        "external-attachment.acl.protocol-invalid",
        "An inboundACL statement of an external attachment has a protocol that is not one of the allowed values.",
    ),
    c(
        "external-attachment.acl.seq-duplicate",
        "Two inboundACL statements of an external attachment share a sequence number; give each statement its own seq.",
    ),
    c(
        "external-attachment.acl.seq-reserved",
        "An inboundACL statement of an external attachment uses a sequence number below 10, which is reserved for the fabric's security rules; use seq 10 or above.",
    ),
    c(
        "external-attachment.acl.src-prefix-invalid",
        "An inboundACL statement of an external attachment has a srcPrefix that is neither any nor a CIDR prefix.",
    ),
    c(
        "external-attachment.acl.src-prefix-required",
        "An inboundACL statement of an external attachment has no srcPrefix; set a CIDR prefix or any.",
    ),
    c(
        "external-attachment.acl.tcp-established-exclusive",
        "An inboundACL statement of an external attachment combines established with individual TCP flags; use one or the other.",
    ),
    c(
        "external-attachment.acl.tcp-filters-protocol",
        "An inboundACL statement of an external attachment sets tcpFilters while its protocol is not tcp.",
    ),
    c(
        "external-attachment.acl.tcp-flags-contradictory",
        "An inboundACL statement of an external attachment requires a TCP flag and its negation at once, so it can never match; drop one of them.",
    ),
    c(
        "external-attachment.connection.required",
        "An external attachment has no spec.connection; name the external connection it uses.",
    ),
    c(
        "external-attachment.external.required",
        "An external attachment has no spec.external; name the External it attaches.",
    ),
    c(
        "external-attachment.neighbor.asn-required",
        "A BGP external attachment has no neighbor.asn; set the ASN of the external BGP peer.",
    ),
    c(
        "external-attachment.neighbor.ip-invalid",
        "A BGP external attachment's neighbor.ip is not a valid IP address.",
    ),
    c(
        "external-attachment.neighbor.ip-required",
        "A BGP external attachment has no neighbor.ip; set the address of the external BGP peer.",
    ),
    c(
        "external-attachment.neighbor.set-for-static",
        "A static external attachment sets neighbor parameters, which only BGP attachments use; remove them.",
    ),
    c(
        "external-attachment.static.ip-invalid",
        "A static external attachment's static.ip is not a valid CIDR prefix; write it as address/length.",
    ),
    c(
        "external-attachment.static.ip-or-proxy",
        "A static external attachment sets both or neither of static.ip and static.proxy; set exactly one.",
    ),
    c(
        "external-attachment.static.remote-ip-invalid",
        "A static external attachment's static.remoteIP is not a valid IP address.",
    ),
    c(
        "external-attachment.static.remote-ip-required",
        "A static external attachment has no static.remoteIP; set the address of the external router.",
    ),
    c(
        "external-attachment.switch.ip-invalid",
        "A BGP external attachment's switch.ip is not a valid CIDR prefix; write it as address/length.",
    ),
    c(
        "external-attachment.switch.ip-required",
        "A BGP external attachment has no switch.ip; set the switch-side address of the BGP session as a CIDR prefix.",
    ),
    c(
        "external-attachment.switch.set-for-static",
        "A static external attachment sets switch parameters (ip or vlan), which only BGP attachments use; remove them.",
    ),
    c(
        "external-peering.external.name-required",
        "An external peering has no spec.permit.external.name; name the External to peer with.",
    ),
    c(
        "external-peering.external.prefix-required",
        "An entry of an external peering's spec.permit.external.prefixes has an empty prefix; set it or remove the entry.",
    ),
    c(
        "external-peering.vpc.name-required",
        "An external peering has no spec.permit.vpc.name; name the VPC to peer.",
    ),
    c(
        "external.inbound-community.invalid",
        "An External's inboundCommunity is not a BGP community of the form <0-65535>:<0-65535>, e.g. 50000:50001.",
    ),
    c(
        "external.ipv4-namespace.required",
        "An External has no spec.ipv4Namespace; name the IPv4Namespace it belongs to.",
    ),
    c(
        "external.outbound-community.invalid",
        "An External's outboundCommunity is not a BGP community of the form <0-65535>:<0-65535>, e.g. 50000:50001.",
    ),
    c(
        "external.static.communities-set",
        "A static External sets inboundCommunity or outboundCommunity, which only BGP externals use; leave them empty.",
    ),
    c(
        "external.static.prefix-invalid",
        "A prefix in a static External's static.prefixes is not a valid CIDR prefix.",
    ),
    c(
        "external.static.prefix-overlap",
        "Two prefixes in a static External's static.prefixes overlap; make them disjoint.",
    ),
    c(
        "external.static.prefixes-required",
        "A static External lists no static.prefixes; give at least one prefix it routes to.",
    ),
    c(
        "fabric.change.connection-has-attachments",
        "The change deletes a connection that VPC attachments still use; delete those VPCAttachments first.",
    ),
    c(
        "fabric.change.connection-has-external-attachments",
        "The change deletes a connection that external attachments still use; delete those ExternalAttachments first.",
    ),
    c(
        "fabric.change.connection-type-immutable",
        "The change alters the type of an existing connection, which the API server refuses; delete and recreate the connection instead.",
    ),
    c(
        "fabric.change.connection-within-vpc-immutable",
        "The change alters staticExternal.withinVPC of an existing connection, which the API server refuses; delete and recreate the connection instead.",
    ),
    c(
        "fabric.change.connection-within-vpc-not-found",
        "The change creates or updates a static external connection whose withinVPC names a VPC that does not exist.",
    ),
    c(
        "fabric.change.external-has-attachments",
        "The change deletes an External that external attachments still use; delete those ExternalAttachments first.",
    ),
    c(
        "fabric.change.external-has-peerings",
        "The change deletes an External that external peerings still use; delete those ExternalPeerings first.",
    ),
    c(
        "fabric.change.ipv4namespace-has-externals",
        "The change deletes an IPv4Namespace that Externals still use; move or delete those Externals first.",
    ),
    c(
        "fabric.change.ipv4namespace-has-vpcs",
        "The change deletes an IPv4Namespace that VPCs still use; move or delete those VPCs first.",
    ),
    c(
        "fabric.change.ipv4namespace-vpc-outside",
        "The change updates an IPv4Namespace so that a subnet of an existing VPC no longer fits in it; keep a prefix that covers that subnet.",
    ),
    c(
        "fabric.change.server-has-connections",
        "The change deletes a server that connections still link; delete those connections first.",
    ),
    c(
        "fabric.change.switch-breakouts-with-roce",
        "The change alters the port breakouts of a switch with RoCEv2 enabled (before or after), which the API server refuses; disable RoCE first.",
    ),
    c(
        "fabric.change.switch-has-connections",
        "The change deletes a switch that connections still link; delete those connections first.",
    ),
    c(
        "fabric.change.switchprofile-default-immutable",
        "The change modifies or deletes a built-in (default) switch profile, which the API server refuses.",
    ),
    c(
        "fabric.change.switchprofile-only-default",
        "The change creates a switch profile that is not built in while the fabric allows only default switch profiles.",
    ),
    c(
        "fabric.change.vlannamespace-has-switches",
        "The change deletes a VLANNamespace that switches still list; remove it from those switches first.",
    ),
    c(
        "fabric.change.vlannamespace-has-vpcs",
        "The change deletes a VLANNamespace that VPCs still use; move or delete those VPCs first.",
    ),
    c(
        "fabric.change.vlannamespace-vpc-outside",
        "The change updates a VLANNamespace so that the VLAN of an existing VPC subnet no longer fits in its ranges; keep a range that covers that VLAN.",
    ),
    c(
        "fabric.change.vpc-has-attachments",
        "The change deletes a VPC that VPC attachments still use; delete those VPCAttachments first.",
    ),
    c(
        "fabric.change.vpc-has-external-peerings",
        "The change deletes a VPC that external peerings still use; delete those ExternalPeerings first.",
    ),
    c(
        "fabric.change.vpc-has-peerings",
        "The change deletes a VPC that VPC peerings still use; delete those VPCPeerings first.",
    ),
    c(
        "fabric.change.vpc-has-static-externals",
        "The change deletes a VPC that static external connections name in withinVPC; change or delete those connections first.",
    ),
    c(
        "fabric.connection.eslag-redundancy",
        "The switches of an ESLAG connection do not all belong to one redundancy group of type eslag; put them in the same ESLAG redundancy group.",
    ),
    c(
        "fabric.connection.link-ip-in-use",
        "An IP address of a fabric, mesh or gateway link is already used by another link; give each link end its own address.",
    ),
    c(
        "fabric.connection.link-ip-invalid",
        "An IP address of a fabric, mesh or gateway link is not a valid CIDR prefix; write it as address/31.",
    ),
    c(
        "fabric.connection.link-ip-not-31",
        "An IP address of a fabric, mesh or gateway link is not a /31; link addresses must be /31.",
    ),
    c(
        "fabric.connection.link-ip-outside-fabric",
        "An IP address of a fabric, mesh or gateway link is not inside the fabric subnet of the fabric configuration.",
    ),
    c(
        "fabric.connection.link-ips-not-same-subnet",
        "The two ends of a fabric, mesh or gateway link are not in the same /31; use the two addresses of one /31.",
    ),
    c(
        "fabric.connection.port-in-use",
        "A port is already used by another connection (a breakout base port E1/N counts as its sub-port E1/N/1); use a free port.",
    ),
    c(
        "fabric.connection.port-not-allowed",
        "A connection uses a port that does not exist on the switch with its profile and current breakouts; pick a port the switch offers.",
    ),
    c(
        "fabric.connection.server-not-found",
        "A connection links a server that is not defined; add the Server object or fix its name.",
    ),
    c(
        "fabric.connection.switch-not-found",
        "A connection links a switch that is not defined; add the Switch object or fix its name.",
    ),
    c(
        "fabric.connection.switch-ports",
        "The ports of a switch used by a connection cannot be worked out from its switch profile and port settings, so the connection's ports cannot be checked.",
    ),
    c(
        "fabric.connection.switch-profile-not-found",
        "A switch used by a connection names a switch profile that does not exist, so the connection's ports cannot be checked.",
    ),
    c(
        "fabric.external.ipv4namespace-not-found",
        "An External names an IPv4Namespace that does not exist; create it or fix spec.ipv4Namespace.",
    ),
    c(
        "fabric.externalattachment.connection-not-external",
        "An external attachment names a connection that is not of type external; attach it to an external connection.",
    ),
    c(
        "fabric.externalattachment.connection-not-found",
        "An external attachment names a connection that does not exist.",
    ),
    c(
        "fabric.externalattachment.external-not-found",
        "An external attachment names an External that does not exist.",
    ),
    c(
        "fabric.externalattachment.static-mismatch",
        "An external attachment is static while its External is not, or the other way round; make both static or both BGP.",
    ),
    c(
        "fabric.externalattachment.vlan-in-use",
        "Another external attachment on the same connection already uses this VLAN; each attachment on a connection needs its own VLAN.",
    ),
    c(
        "fabric.externalpeering.external-not-found",
        "An external peering names an External that does not exist.",
    ),
    c(
        "fabric.externalpeering.ipv4namespace-mismatch",
        "An external peering joins a VPC and an External in different IPv4Namespaces; they must share one.",
    ),
    c(
        "fabric.externalpeering.subnet-not-found",
        "An external peering permits a subnet that its VPC does not have; fix the subnet name.",
    ),
    c(
        "fabric.externalpeering.vpc-not-found",
        "An external peering names a VPC that does not exist.",
    ),
    c(
        "fabric.switch.asn-in-use",
        "Two leaves that are not MCLAG peers have the same ASN; give each leaf its own ASN.",
    ),
    c(
        "fabric.switch.asn-outside-range",
        "A leaf's ASN is outside the fabric configuration's leaf ASN range (leafASNStart..leafASNEnd); an unset ASN (0) is reported this way too.",
    ),
    c(
        "fabric.switch.ecmp-roce-qpn-not-supported",
        "A switch enables ECMP RoCE QPN hashing, which its switch profile does not support; turn it off or use another profile.",
    ),
    c(
        "fabric.switch.eslag-not-supported",
        "A switch uses ESLAG redundancy, which its switch profile does not support.",
    ),
    c(
        "fabric.switch.group-empty",
        "A switch lists an empty name in spec.groups; remove it or name a SwitchGroup.",
    ),
    c(
        "fabric.switch.group-not-found",
        "A switch lists a SwitchGroup in spec.groups that does not exist; create it or fix the name.",
    ),
    c(
        "fabric.switch.ip-in-dhcp-range",
        "A switch's management IP lies in the management DHCP range (at or after managementDHCPStart); pick an address below the range.",
    ),
    c(
        "fabric.switch.ip-in-use",
        "A switch's management IP is already used by another switch, a gateway or the control VIP; pick a free address.",
    ),
    c(
        "fabric.switch.ip-invalid",
        "A switch's management IP (spec.ip) is not a valid CIDR prefix; write it as address/length.",
    ),
    c(
        "fabric.switch.ip-outside-management",
        "A switch's management IP is not in the management subnet of the fabric configuration.",
    ),
    c(
        "fabric.switch.max-ports",
        "A switch's port breakouts use more ports (lanes) than its switch profile allows; reduce the breakouts.",
    ),
    c(
        "fabric.switch.mclag-deprecated",
        "Warning: a switch uses the deprecated MCLAG redundancy, which upstream no longer supports; move to ESLAG.",
    ),
    c(
        "fabric.switch.pipeline-max-ports",
        "A switch's port breakouts use more ports in one pipeline than that pipeline of its switch profile allows; reduce the breakouts on those ports.",
    ),
    c(
        "fabric.switch.pipeline-unknown",
        "A port of a switch's profile refers to a pipeline the profile does not define, so the port counts cannot be checked.",
    ),
    c(
        "fabric.switch.port-autoneg",
        "A switch sets auto-negotiation on a port (spec.portAutoNegs) whose profile does not allow configuring it.",
    ),
    c(
        "fabric.switch.port-breakout",
        "A switch sets a breakout (spec.portBreakouts) on a port that is not in its profile, has no breakout support, or does not support that mode.",
    ),
    c(
        "fabric.switch.port-fec",
        "A switch sets FEC (spec.portFECs) on a port that does not allow it; a broken-out port is configured per sub-port, e.g. E1/53/1.",
    ),
    c(
        "fabric.switch.port-group-speed",
        "A switch sets a speed (spec.portGroupSpeeds) for a port group that is not in its profile, or that the group does not support.",
    ),
    c(
        "fabric.switch.port-speed",
        "A switch sets a speed (spec.portSpeeds) for a port that is not in its profile, has no speed settings, or does not support that speed.",
    ),
    c(
        "fabric.switch.profile-not-found",
        "A switch names a switch profile that does not exist; use a built-in profile name or fix spec.profile.",
    ),
    c(
        "fabric.switch.profile-ports",
        "A switch's port settings cannot be combined with its switch profile (auto-negotiation, FEC or port counts cannot be worked out); fix the settings the message names.",
    ),
    c(
        "fabric.switch.protocol-ip-in-use",
        "A switch's protocol IP is already used by another switch or gateway; give each its own address.",
    ),
    c(
        "fabric.switch.protocol-ip-invalid",
        "A switch's protocol IP is not a valid CIDR prefix; write it as address/32.",
    ),
    c(
        "fabric.switch.protocol-ip-not-32",
        "A switch's protocol IP is not a /32.",
    ),
    c(
        "fabric.switch.protocol-ip-outside-subnet",
        "A switch's protocol IP is not inside the protocol subnet of the fabric configuration.",
    ),
    c(
        "fabric.switch.roce-not-supported",
        "A switch enables RoCEv2, which its switch profile does not support.",
    ),
    c(
        "fabric.switch.spine-asn",
        "A spine's ASN differs from the spineASN of the fabric configuration (an unset ASN, 0, included); all spines use that ASN.",
    ),
    c(
        "fabric.switch.vlannamespace-not-found",
        "A switch lists a VLANNamespace that does not exist; create it or fix spec.vlanNamespaces.",
    ),
    c(
        "fabric.switch.vlannamespaces-overlap",
        "The VLANNamespaces a switch lists have overlapping ranges; a switch's namespaces must be disjoint.",
    ),
    c(
        "fabric.switch.vtep-ip-in-use",
        "A leaf's VTEP IP is already used by another switch that is not its MCLAG peer; give each its own address.",
    ),
    c(
        "fabric.switch.vtep-ip-invalid",
        "A switch's VTEP IP is not a valid CIDR prefix; write it as address/32.",
    ),
    c(
        "fabric.switch.vtep-ip-not-32",
        "A switch's VTEP IP is not a /32.",
    ),
    c(
        "fabric.switch.vtep-ip-outside-subnet",
        "A switch's VTEP IP is not inside the VTEP subnet of the fabric configuration.",
    ),
    c(
        "fabric.switchprofile.default-immutable",
        "A SwitchProfile has the name of a built-in profile but a different spec; built-in profiles cannot be changed, so remove it or use another name.",
    ),
    c(
        "fabric.switchprofile.only-default",
        "A SwitchProfile that is not built in is given while the fabric configuration does not allow extra switch profiles (hhfab never does); it is ignored, so use a built-in profile.",
    ),
    c(
        "fabric.vpc.ipv4namespace-not-found",
        "A VPC names an IPv4Namespace that does not exist; create it or fix spec.ipv4Namespace.",
    ),
    c(
        "fabric.vpc.ipv4namespace-subnet-invalid",
        "A subnet of the IPv4Namespace a VPC uses is not a valid CIDR prefix, so the VPC's subnets cannot be checked against it.",
    ),
    c(
        "fabric.vpc.relay-vpc-not-found",
        "A VPC subnet's dhcp.relayVPC names a VPC that does not exist.",
    ),
    c(
        "fabric.vpc.subnet-outside-ipv4namespace",
        "A VPC subnet is not inside any prefix of the VPC's IPv4Namespace; pick a subnet inside it or widen the namespace.",
    ),
    c(
        "fabric.vpc.subnet-overlap",
        "A VPC subnet overlaps a subnet of another VPC in the same IPv4Namespace; VPC subnets must be disjoint.",
    ),
    c(
        "fabric.vpc.vlan-in-use",
        "A VPC subnet uses a VLAN that another VPC in the same VLANNamespace already uses; pick a free VLAN.",
    ),
    c(
        "fabric.vpc.vlan-outside-vlannamespace",
        "A VPC subnet's VLAN is outside the ranges of the VPC's VLANNamespace; pick a VLAN inside them.",
    ),
    c(
        "fabric.vpc.vlannamespace-not-found",
        "A VPC names a VLANNamespace that does not exist; create it or fix spec.vlanNamespace.",
    ),
    c(
        "fabric.vpcattachment.already-attached",
        "Another VPC attachment already attaches the same connection to the same VPC subnet; remove the duplicate.",
    ),
    c(
        "fabric.vpcattachment.connection-not-found",
        "A VPC attachment names a connection that does not exist.",
    ),
    c(
        "fabric.vpcattachment.connection-type",
        "A VPC attachment names a connection that is not unbundled, bundled or ESLAG; VPCs attach only to those.",
    ),
    c(
        "fabric.vpcattachment.eslag-mode",
        "A VPC attachment puts a VPC whose mode is not the default L2VNI mode (empty) on an ESLAG connection, which is not supported.",
    ),
    c(
        "fabric.vpcattachment.hostbgp-mclag",
        "A VPC attachment puts a hostBGP subnet on a switch that is an MCLAG peer, which is not supported.",
    ),
    c(
        "fabric.vpcattachment.hostbgp-not-unbundled",
        "A VPC attachment puts a hostBGP subnet on a connection that is not unbundled; hostBGP subnets attach only to unbundled connections.",
    ),
    c(
        "fabric.vpcattachment.mode-not-supported",
        "A VPC attachment uses a switch whose profile does not support the VPC's mode (l2vni needs L2VNI and L3VNI, l3vni needs L3VNI).",
    ),
    c(
        "fabric.vpcattachment.native-vlan-in-use",
        "Another VPC attachment on the same connection already uses the native VLAN; only one attachment per connection may set nativeVLAN.",
    ),
    c(
        "fabric.vpcattachment.no-switch-endpoints",
        "A VPC attachment names a connection with no switch endpoints (e.g. a deprecated MCLAG connection), so nothing can be attached.",
    ),
    c(
        "fabric.vpcattachment.subnet-not-found",
        "A VPC attachment names a subnet the VPC does not have; spec.subnet is <vpc>/<subnet>.",
    ),
    c(
        "fabric.vpcattachment.switch-not-found",
        "A switch of the connection a VPC attachment uses does not exist.",
    ),
    c(
        "fabric.vpcattachment.switch-profile-not-found",
        "A switch of the connection a VPC attachment uses names a switch profile that does not exist.",
    ),
    c(
        "fabric.vpcattachment.switch-vlannamespace",
        "A switch of the connection a VPC attachment uses does not list the VPC's VLANNamespace; add it to the switch's spec.vlanNamespaces.",
    ),
    c(
        "fabric.vpcattachment.vpc-not-found",
        "A VPC attachment names a VPC that does not exist; spec.subnet is <vpc>/<subnet>.",
    ),
    c(
        "fabric.vpcpeering.ipv4namespace-mismatch",
        "A VPC peering joins two VPCs in different IPv4Namespaces; peered VPCs must share one.",
    ),
    c(
        "fabric.vpcpeering.subnet-not-found",
        "A VPC peering permits a subnet that its VPC does not have; fix the subnet name.",
    ),
    c(
        "fabric.vpcpeering.vlannamespace-mismatch",
        "A VPC peering joins two VPCs in different VLANNamespaces; peered VPCs must share one.",
    ),
    c(
        "fabric.vpcpeering.vpc-not-found",
        "A VPC peering names a VPC that does not exist.",
    ),
    c(
        "hydrate.config",
        "The fabric configuration's management, VIP, protocol, VTEP or fabric prefixes or management DHCP range cannot be parsed or are inconsistent, so nothing can be hydrated; fix the fabric configuration.",
    ),
    c(
        "hydrate.gateway.asn",
        "A gateway's ASN differs from the gatewayASN of the fabric configuration.",
    ),
    c(
        "hydrate.gateway.interface",
        "A gateway connection names a gateway interface the Gateway object does not have, so its link cannot be hydrated.",
    ),
    c(
        "hydrate.gateway.missing",
        "A gateway connection names a Gateway object that is not in the wiring, so its link cannot be hydrated.",
    ),
    c(
        "hydrate.gateway.switch",
        "A gateway connection's switch does not exist or has no ASN, so the gateway's BGP neighbour cannot be hydrated.",
    ),
    c(
        "hydrate.incomplete",
        "Hydration ran but left some values unset (an internal inconsistency); report it with the wiring.",
    ),
    c(
        "hydrate.ip",
        "A protocol or VTEP IP already in the wiring does not parse, is not a /32, or is outside its subnet of the fabric configuration; fix or clear it and hydrate again.",
    ),
    c(
        "hydrate.ip-in-use",
        "A protocol or VTEP IP already in the wiring is used twice (MCLAG peers may share a VTEP IP); fix or clear one and hydrate again.",
    ),
    c(
        "hydrate.link.ip",
        "A link IP already in a fabric, mesh or gateway connection does not parse, is not a /31, or is outside the fabric subnet; fix or clear it and hydrate again.",
    ),
    c(
        "hydrate.link.ip-in-use",
        "A link IP already in a fabric, mesh or gateway connection is used by another link; fix or clear one and hydrate again.",
    ),
    c(
        "hydrate.link.subnet",
        "The two IPs already on a fabric, mesh or gateway link are not in the same /31; fix or clear them and hydrate again.",
    ),
    c(
        "hydrate.not-hydrated",
        "Hydration is disabled (mode never) but the wiring lacks switch IPs, ASNs or link IPs; fill them in or choose another hydration mode.",
    ),
    c(
        "hydrate.partial",
        "The wiring is partly hydrated (some switch IPs, ASNs or link IPs set, others not) and the mode is if-not-present; clear them all, fill them all, or use override.",
    ),
    c(
        "hydrate.switch.asn",
        "A switch's ASN already in the wiring is wrong: a spine's is not spineASN, or a leaf's is outside the leaf ASN range; fix or clear it and hydrate again.",
    ),
    c(
        "hydrate.switch.asn-in-use",
        "Two leaves that are not MCLAG peers already have the same ASN; fix or clear one and hydrate again.",
    ),
    c(
        "hydrate.switch.ip",
        "A switch's management IP already in the wiring does not parse, is outside the management subnet, or is in the management DHCP range; fix or clear it and hydrate again.",
    ),
    c(
        "hydrate.switch.ip-in-use",
        "A switch's management IP already in the wiring is used twice (or is the control VIP); fix or clear one and hydrate again.",
    ),
    c(
        "hydrate.switch.mclag-asn",
        "Two MCLAG peer switches have different ASNs; MCLAG peers must share their ASN.",
    ),
    c(
        "hydrate.switch.mclag-vtep",
        "Two MCLAG peer switches have different VTEP IPs; MCLAG peers must share their VTEP IP.",
    ),
    c(
        "hydrate.switch.role-invalid",
        "A switch's role is not one hydration knows (spine, server-leaf, border-leaf, mixed-leaf; virtual-edge is refused); fix spec.role.",
    ),
    c(
        "hydrate.switch.role-missing",
        "A switch has no spec.role, so hydration cannot tell how to allocate its addresses; set it.",
    ),
    c(
        "hydrate.switch.spine-vtep",
        "Hydration found a VTEP IP on a spine; only leaves have one, so remove it and hydrate again.",
    ),
    c(
        "ipv4-namespace.subnet.invalid",
        "A subnet of an IPv4Namespace is not a valid CIDR prefix.",
    ),
    c(
        "ipv4-namespace.subnet.overlap",
        "Two subnets of an IPv4Namespace overlap; make them disjoint.",
    ),
    c(
        "ipv4-namespace.subnet.reserved",
        "A subnet of an IPv4Namespace overlaps a subnet reserved by the fabric configuration (management, fabric, protocol, VTEP …); choose another.",
    ),
    c(
        "ipv4-namespace.subnets.too-many",
        "An IPv4Namespace has more than 10 subnets; merge or drop some.",
    ),
    c(
        "load.duplicate-key",
        "A YAML or JSON mapping has the same key twice; keep one (upstream's strict decoder refuses duplicates).",
    ),
    c(
        "load.duplicate-object",
        "Two documents define the same object (kind, namespace and name); remove or rename one.",
    ),
    c(
        "load.limit",
        "The input is larger than the loader allows (total size, document size, number of documents or nesting depth); split it or raise the limit.",
    ),
    c(
        "load.missing-api-version",
        "A document has no apiVersion; add e.g. wiring.githedgehog.com/v1beta1.",
    ),
    c(
        "load.missing-kind",
        "A document has no kind; add one, e.g. Switch.",
    ),
    c(
        "load.not-allowed",
        "A document is a dhcp.githedgehog.com or agent.githedgehog.com object, which hhfab refuses in a wiring diagram; remove it.",
    ),
    c(
        "load.not-an-object",
        "A document is a list, string, number, boolean or null instead of a mapping with apiVersion, kind and metadata.",
    ),
    c(
        "load.parse",
        "The text is not valid YAML or JSON (or not UTF-8); fix the syntax at the given line and column.",
    ),
    c(
        "load.unknown-kind",
        "Warning: the document's kind is not one this tool models (e.g. a gateway kind); it is kept as written but not validated.",
    ),
    c(
        "meta.name-invalid",
        "metadata.name is not a lowercase RFC 1123 subdomain; use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit.",
    ),
    c(
        "meta.name-too-long",
        "metadata.name is too long: at most 11 characters for VPCs, IPv4Namespaces and Externals, at most 253 for other kinds.",
    ),
    c(
        "meta.namespace",
        "The object is not in the default namespace, the only one the fabric supports; remove metadata.namespace or set it to default.",
    ),
    c(
        "schema.enum",
        "A field has a value the CRD schema does not allow; use one of the values the message lists.",
    ),
    c(
        "schema.max-items",
        "A list has more items than the CRD schema allows.",
    ),
    c(
        "schema.maximum",
        "A number is larger than the CRD schema allows.",
    ),
    c(
        "schema.min-items",
        "A list has fewer items than the CRD schema requires.",
    ),
    c(
        "schema.minimum",
        "A number is smaller than the CRD schema allows.",
    ),
    c(
        "schema.pattern",
        "A text field does not match the pattern the CRD schema requires.",
    ),
    c(
        "schema.required",
        "A field the CRD schema requires is missing; the API server would refuse the object.",
    ),
    c(
        "schema.type",
        "A field has the wrong JSON type for the CRD schema (e.g. a string where an integer is expected).",
    ),
    c(
        "switch-profile.display-name.required",
        "A custom switch profile has no displayName; set it.",
    ),
    c(
        "switch-profile.group.nos-invalid",
        "A port group of a custom switch profile has a NOS name that is not a positive integer.",
    ),
    c(
        "switch-profile.group.nos-required",
        "A port group of a custom switch profile has no NOS name; set it.",
    ),
    c(
        "switch-profile.group.profile-autoneg",
        "A port group of a custom switch profile uses a port profile that allows auto-negotiation, which port groups must not.",
    ),
    c(
        "switch-profile.group.profile-missing",
        "A port group of a custom switch profile references a port profile the switch profile does not define.",
    ),
    c(
        "switch-profile.group.profile-not-speed",
        "A port group of a custom switch profile references a port profile without speed settings (e.g. a breakout profile); groups need a speed profile.",
    ),
    c(
        "switch-profile.group.profile-required",
        "A port group of a custom switch profile names no port profile; set one.",
    ),
    c(
        "switch-profile.group.unreferenced",
        "A port group of a custom switch profile is not used by any port; use it or remove it.",
    ),
    c(
        "switch-profile.nos-type.invalid",
        "A custom switch profile's nosType is not a NOS type the fabric knows.",
    ),
    c(
        "switch-profile.nos-type.required",
        "A custom switch profile has no nosType; set it.",
    ),
    c(
        "switch-profile.other-names.duplicate",
        "A custom switch profile's otherNames lists a name twice; remove the duplicate.",
    ),
    c(
        "switch-profile.other-names.empty",
        "A custom switch profile's otherNames contains an empty string; remove it.",
    ),
    c(
        "switch-profile.other-names.too-many",
        "A custom switch profile's otherNames has more than 5 entries.",
    ),
    c(
        "switch-profile.pipeline.max-ports-required",
        "A pipeline of a custom switch profile has maxPorts 0; set the number of ports it allows.",
    ),
    c(
        "switch-profile.pipeline.name-required",
        "A custom switch profile defines a pipeline with an empty name; name it.",
    ),
    c(
        "switch-profile.platform.required",
        "A custom switch profile has no platform; set it.",
    ),
    c(
        "switch-profile.port.base-nos-duplicate",
        "Two ports of a custom switch profile share a base NOS name; make them unique.",
    ),
    c(
        "switch-profile.port.breakout-base-nos-number",
        "A breakout port of a custom switch profile has a base NOS name that does not end in a number (e.g. Ethernet0).",
    ),
    c(
        "switch-profile.port.breakout-base-nos-prefix",
        "A breakout port of a custom switch profile has a base NOS name that does not start with Ethernet.",
    ),
    c(
        "switch-profile.port.breakout-base-nos-required",
        "A breakout port of a custom switch profile has no base NOS name (baseNOSName, e.g. Ethernet0); set it.",
    ),
    c(
        "switch-profile.port.breakout-nos-number",
        "A breakout port of a custom switch profile has a NOS name that does not end in a number (e.g. 1/1).",
    ),
    c(
        "switch-profile.port.breakout-nos-prefix",
        "A breakout port of a custom switch profile has a NOS name that does not start with 1/.",
    ),
    c(
        "switch-profile.port.data-name-asic",
        "A data port name of a custom switch profile does not have a positive number as its first segment (the E<asic>/<port> form, e.g. E1/1).",
    ),
    c(
        "switch-profile.port.data-name-port",
        "A data port name of a custom switch profile does not have a positive number as its second segment (the E<asic>/<port> form, e.g. E1/1).",
    ),
    c(
        "switch-profile.port.data-name-prefix",
        "A data port name of a custom switch profile does not start with E (the E<asic>/<port> form, e.g. E1/1).",
    ),
    c(
        "switch-profile.port.data-name-segments",
        "A data port name of a custom switch profile does not have two slash-separated segments (the E<asic>/<port> form, e.g. E1/1).",
    ),
    c(
        "switch-profile.port.data-nos-number",
        "A data port of a custom switch profile has a NOS name that does not end in a number (e.g. Ethernet0).",
    ),
    c(
        "switch-profile.port.data-nos-prefix",
        "A data port of a custom switch profile has a NOS name that does not start with Ethernet.",
    ),
    c(
        "switch-profile.port.group-missing",
        "A port of a custom switch profile references a port group the switch profile does not define.",
    ),
    c(
        "switch-profile.port.label-duplicate",
        "Two ports of a custom switch profile share a label; make the labels unique.",
    ),
    c(
        "switch-profile.port.label-required",
        "A data port of a custom switch profile has no label; set it.",
    ),
    c(
        "switch-profile.port.management-field-set",
        "A management port of a custom switch profile sets a group, profile or base NOS name, which management ports must not have.",
    ),
    c(
        "switch-profile.port.management-name-number",
        "A management port name of a custom switch profile does not end in a positive number (e.g. M1).",
    ),
    c(
        "switch-profile.port.management-name-prefix",
        "A management port name of a custom switch profile does not start with M (e.g. M1).",
    ),
    c(
        "switch-profile.port.management-nos-number",
        "A management port of a custom switch profile has a NOS name that does not end in a number (e.g. Management0).",
    ),
    c(
        "switch-profile.port.management-nos-prefix",
        "A management port of a custom switch profile has a NOS name that does not start with Management.",
    ),
    c(
        "switch-profile.port.management-onie-number",
        "A management port of a custom switch profile has an ONIE port name that does not end in a number (e.g. eth0).",
    ),
    c(
        "switch-profile.port.management-onie-prefix",
        "A management port of a custom switch profile has an ONIE port name that does not start with eth.",
    ),
    c(
        "switch-profile.port.management-onie-required",
        "A management port of a custom switch profile has no ONIE port name (oniePortName, e.g. eth0); set it.",
    ),
    c(
        "switch-profile.port.name-too-short",
        "A port name of a custom switch profile is shorter than two characters.",
    ),
    c(
        "switch-profile.port.nos-duplicate",
        "Two ports of a custom switch profile share a NOS name; make them unique.",
    ),
    c(
        "switch-profile.port.nos-required",
        "A port of a custom switch profile has no NOS name; set it.",
    ),
    c(
        "switch-profile.port.pipeline-missing",
        "A port of a custom switch profile references a pipeline the switch profile does not define.",
    ),
    c(
        "switch-profile.port.pipeline-not-breakout",
        "A port of a custom switch profile references a pipeline but is not a breakout port; only breakout ports belong to pipelines.",
    ),
    c(
        "switch-profile.port.profile-and-group",
        "A data port of a custom switch profile sets both a port profile and a port group; set exactly one.",
    ),
    c(
        "switch-profile.port.profile-missing",
        "A port of a custom switch profile references a port profile the switch profile does not define.",
    ),
    c(
        "switch-profile.port.profile-or-group-required",
        "A data port of a custom switch profile sets neither a port profile nor a port group; set exactly one.",
    ),
    c(
        "switch-profile.profile.autoneg-default",
        "A port profile of a custom switch profile enables auto-negotiation by default while not allowing it; allow it or turn the default off.",
    ),
    c(
        "switch-profile.profile.breakout-default-required",
        "A breakout port profile of a custom switch profile has no default breakout mode; set one.",
    ),
    c(
        "switch-profile.profile.breakout-default-unsupported",
        "A breakout port profile of a custom switch profile has a default mode that is not among its supported modes.",
    ),
    c(
        "switch-profile.profile.breakout-mode-empty",
        "A breakout port profile of a custom switch profile lists an empty mode among its supported modes.",
    ),
    c(
        "switch-profile.profile.breakout-mode-invalid",
        "A breakout mode of a custom switch profile is not of the form <1|2|4|8>x<speed>, e.g. 4x25G.",
    ),
    c(
        "switch-profile.profile.breakout-offsets-required",
        "A supported breakout mode of a custom switch profile has no offsets; list the lane offsets of its sub-ports.",
    ),
    c(
        "switch-profile.profile.breakout-supported-required",
        "A breakout port profile of a custom switch profile lists no supported modes.",
    ),
    c(
        "switch-profile.profile.speed-and-breakout",
        "A port profile of a custom switch profile sets both speed and breakout; set exactly one.",
    ),
    c(
        "switch-profile.profile.speed-default-required",
        "A speed port profile of a custom switch profile has no default speed; set one.",
    ),
    c(
        "switch-profile.profile.speed-default-unsupported",
        "A speed port profile of a custom switch profile has a default speed that is not among its supported speeds.",
    ),
    c(
        "switch-profile.profile.speed-empty",
        "A speed port profile of a custom switch profile lists an empty speed among its supported speeds.",
    ),
    c(
        "switch-profile.profile.speed-invalid",
        "A speed of a custom switch profile is not one the fabric knows (1G, 2.5G, 5G, 10G, 20G, 25G, 40G, 50G, 100G, 200G, 400G, 800G).",
    ),
    c(
        "switch-profile.profile.speed-or-breakout-required",
        "A port profile of a custom switch profile sets neither speed nor breakout; set exactly one.",
    ),
    c(
        "switch-profile.profile.speed-supported-required",
        "A speed port profile of a custom switch profile lists no supported speeds.",
    ),
    c(
        "switch-profile.profile.unreferenced",
        "A port profile of a custom switch profile is not used by any port or port group; use it or remove it.",
    ),
    c(
        "switch-profile.switch-silicon.required",
        "A custom switch profile has no switchSilicon; set it.",
    ),
    c(
        "switch.asn.required",
        "A switch has no ASN; set it, or let hhfab hydrate the wiring.",
    ),
    c(
        "switch.ip.required",
        "A switch has no management IP (spec.ip); set it, or let hhfab hydrate the wiring.",
    ),
    c(
        "switch.link-flap.field-required",
        "A switch enables link-flap error-disable but lacks the flap threshold, sampling interval or recovery interval; set the field named in the path.",
    ),
    c(
        "switch.profile.required",
        "A switch has no spec.profile; name its switch profile (e.g. vs for virtual switches).",
    ),
    c(
        "switch.protocol-ip.required",
        "A switch has no protocol IP (spec.protocolIP); set it, or let hhfab hydrate the wiring.",
    ),
    c(
        "switch.redundancy.group-required",
        "A switch sets a redundancy type but no redundancy group; set both or neither.",
    ),
    c(
        "switch.redundancy.type-invalid",
        "A switch's redundancy type is not one of mclag or eslag.",
    ),
    c(
        "switch.redundancy.type-required",
        "A switch sets a redundancy group but no redundancy type; set both or neither.",
    ),
    c(
        "switch.vlan-namespaces.required",
        "A switch lists no VLANNamespace; add at least one (usually default).",
    ),
    c(
        "switch.vtep-ip.not-allowed",
        "A spine has a VTEP IP (spec.vtepIP); only leaves have one, so remove it.",
    ),
    c(
        "switch.vtep-ip.required",
        "A leaf has no VTEP IP while the fabric is in spine-leaf mode; set it, or let hhfab hydrate the wiring.",
    ),
    c(
        "vlan-namespace.ranges.invalid",
        "A range of a VLANNamespace has from > to or a bound outside 1..4094.",
    ),
    c(
        "vlan-namespace.ranges.overlap-reserved",
        "A VLANNamespace range overlaps the fabric's reserved VLANs (vpcIRBVLANRange) or another range of the same namespace (touching ranges count); make them disjoint.",
    ),
    c(
        "vlan-namespace.ranges.overlap-th5",
        "A VLANNamespace range overlaps the VLANs reserved for the TH5 workaround (th5WorkaroundVLANRange); move it.",
    ),
    c(
        "vpc-attachment.connection.required",
        "A VPC attachment has no spec.connection; name the connection to attach the subnet to.",
    ),
    c(
        "vpc-attachment.p2p-link.empty",
        "A VPC attachment's fabric.githedgehog.com/p2p-link annotation is empty; set a /31 prefix or remove the annotation.",
    ),
    c(
        "vpc-attachment.p2p-link.invalid",
        "A VPC attachment's fabric.githedgehog.com/p2p-link annotation is not a valid CIDR prefix.",
    ),
    c(
        "vpc-attachment.p2p-link.not-ipv4-31",
        "A VPC attachment's fabric.githedgehog.com/p2p-link annotation is not an IPv4 /31 prefix.",
    ),
    c(
        "vpc-attachment.subnet.required",
        "A VPC attachment has no spec.subnet; set it as <vpc>/<subnet>.",
    ),
    c(
        "vpc-attachment.subnet.subnet-missing",
        "A VPC attachment's spec.subnet has no subnet part; write it as <vpc>/<subnet>.",
    ),
    c(
        "vpc-attachment.subnet.vpc-missing",
        "A VPC attachment's spec.subnet has no VPC part; write it as <vpc>/<subnet>.",
    ),
    c(
        "vpc-peering.disabled",
        "VPC peering is disabled in the fabric configuration (vpcPeeringDisabled), so VPCPeering objects are refused.",
    ),
    c(
        "vpc-peering.permit.not-two-vpcs",
        "An entry of a VPC peering's spec.permit does not name exactly two VPCs.",
    ),
    c(
        "vpc-peering.remote.deprecated",
        "A VPC peering sets spec.remote, which is deprecated and no longer supported; remove it.",
    ),
    c(
        "vpc-peering.vpcs.not-two",
        "A VPC peering's permit entries do not name exactly two VPCs in total (an empty permit counts); a peering joins one pair of VPCs.",
    ),
    c(
        "vpc.dhcp.dns-server-invalid",
        "A DNS server in a VPC subnet's DHCP options is not a valid IP address.",
    ),
    c(
        "vpc.dhcp.lease-time-too-small",
        "A VPC subnet's DHCP leaseTimeSeconds is below 1.",
    ),
    c(
        "vpc.dhcp.mtu-too-large",
        "A VPC subnet's DHCP interfaceMTU is above 9036.",
    ),
    c(
        "vpc.dhcp.mtu-too-small",
        "A VPC subnet's DHCP interfaceMTU is below 96.",
    ),
    c(
        "vpc.dhcp.option-without-dhcp",
        "A VPC subnet sets a DHCP option while DHCP is disabled on it; enable DHCP or remove the option.",
    ),
    c(
        "vpc.dhcp.range-end-gateway",
        "A VPC subnet's DHCP range end is the subnet's gateway address; move it.",
    ),
    c(
        "vpc.dhcp.range-end-invalid",
        "A VPC subnet's DHCP range end is not a valid IP address.",
    ),
    c(
        "vpc.dhcp.range-end-network",
        "A VPC subnet's DHCP range end is the subnet's network address; move it.",
    ),
    c(
        "vpc.dhcp.range-end-outside",
        "A VPC subnet's DHCP range end is not inside the subnet.",
    ),
    c(
        "vpc.dhcp.range-end-required",
        "A VPC subnet with DHCP enabled has no DHCP range end.",
    ),
    c(
        "vpc.dhcp.range-order",
        "A VPC subnet's DHCP range start does not come before its end; swap or fix them.",
    ),
    c(
        "vpc.dhcp.range-required",
        "A VPC subnet with DHCP enabled has no DHCP range.",
    ),
    c(
        "vpc.dhcp.range-start-gateway",
        "A VPC subnet's DHCP range start is the subnet's gateway address; move it.",
    ),
    c(
        "vpc.dhcp.range-start-invalid",
        "A VPC subnet's DHCP range start is not a valid IP address.",
    ),
    c(
        "vpc.dhcp.range-start-network",
        "A VPC subnet's DHCP range start is the subnet's network address; move it.",
    ),
    c(
        "vpc.dhcp.range-start-outside",
        "A VPC subnet's DHCP range start is not inside the subnet.",
    ),
    c(
        "vpc.dhcp.range-start-required",
        "A VPC subnet with DHCP enabled has no DHCP range start.",
    ),
    c(
        "vpc.dhcp.range-without-dhcp",
        "A VPC subnet sets a DHCP range start or end while DHCP is disabled on it; enable DHCP or remove the range.",
    ),
    c(
        "vpc.dhcp.relay-and-server",
        "A VPC subnet enables both the DHCP server and a DHCP relay; use one or the other.",
    ),
    c(
        "vpc.dhcp.relay-invalid",
        "A VPC subnet's dhcp.relay is not a valid CIDR prefix (upstream parses it as a prefix, e.g. 10.99.0.100/32).",
    ),
    c(
        "vpc.dhcp.relay-vpc-without-relay",
        "A VPC subnet sets dhcp.relayVPC without dhcp.relay; set the relay or remove relayVPC.",
    ),
    c(
        "vpc.dhcp.route-destination-invalid",
        "An advertised route in a VPC subnet's DHCP options has a destination that is not a valid CIDR prefix.",
    ),
    c(
        "vpc.dhcp.route-destination-required",
        "An advertised route in a VPC subnet's DHCP options has no destination.",
    ),
    c(
        "vpc.dhcp.route-gateway-invalid",
        "An advertised route in a VPC subnet's DHCP options has a gateway that is not a valid IP address.",
    ),
    c(
        "vpc.dhcp.route-gateway-outside",
        "An advertised route in a VPC subnet's DHCP options has a gateway outside the subnet.",
    ),
    c(
        "vpc.dhcp.route-gateway-required",
        "An advertised route in a VPC subnet's DHCP options has no gateway.",
    ),
    c(
        "vpc.dhcp.static-ip-broadcast",
        "A static DHCP lease of a VPC subnet uses the subnet's broadcast address.",
    ),
    c(
        "vpc.dhcp.static-ip-duplicate",
        "Two static DHCP leases of a VPC subnet assign the same IP address to different MAC addresses.",
    ),
    c(
        "vpc.dhcp.static-ip-gateway",
        "A static DHCP lease of a VPC subnet uses the subnet's gateway address.",
    ),
    c(
        "vpc.dhcp.static-ip-invalid",
        "A static DHCP lease of a VPC subnet has an IP that is not a valid IP address.",
    ),
    c(
        "vpc.dhcp.static-ip-network",
        "A static DHCP lease of a VPC subnet uses the subnet's network address.",
    ),
    c(
        "vpc.dhcp.static-ip-outside",
        "A static DHCP lease of a VPC subnet has an IP outside the subnet.",
    ),
    c(
        "vpc.dhcp.static-ip-required",
        "A static DHCP lease of a VPC subnet has an empty IP for its MAC address.",
    ),
    c(
        "vpc.dhcp.static-mac-invalid",
        "A static DHCP lease of a VPC subnet is keyed by something that is not a MAC address.",
    ),
    c(
        "vpc.dhcp.static-mac-required",
        "A static DHCP lease of a VPC subnet is keyed by an empty MAC address.",
    ),
    c(
        "vpc.dhcp.static-without-dhcp",
        "A VPC subnet has static DHCP leases while DHCP is disabled on it; enable DHCP or remove them.",
    ),
    c(
        "vpc.dhcp.time-server-invalid",
        "A time server in a VPC subnet's DHCP options is not a valid IP address.",
    ),
    c(
        "vpc.ipv4-namespace.required",
        "A VPC has no spec.ipv4Namespace (defaulting normally sets it to default).",
    ),
    c(
        "vpc.mode.invalid",
        "A VPC's spec.mode is not one of the empty string (L2VNI), l3vni or l3flat.",
    ),
    c(
        "vpc.mode.l3flat",
        "A VPC uses mode l3flat, which is not supported yet; use the default mode or l3vni.",
    ),
    c(
        "vpc.name.ext-prefix",
        "A VPC's name starts with ext., which is reserved for externals; rename it.",
    ),
    c(
        "vpc.permit.duplicate-subnets",
        "A permit policy of a VPC lists the same subnet twice.",
    ),
    c(
        "vpc.permit.subnet-not-found",
        "A permit policy of a VPC names a subnet the VPC does not have.",
    ),
    c(
        "vpc.permit.too-few-subnets",
        "A permit policy of a VPC lists fewer than two subnets; a policy permits traffic between at least two.",
    ),
    c(
        "vpc.static-route.next-hop-required",
        "A static route of a VPC has no next hop; give at least one.",
    ),
    c(
        "vpc.static-route.prefix-invalid",
        "A static route of a VPC has a prefix that is not a valid CIDR prefix.",
    ),
    c(
        "vpc.static-route.prefix-not-canonical",
        "A static route of a VPC has a prefix with host bits set (e.g. 10.0.0.5/24); write its network address.",
    ),
    c(
        "vpc.static-route.prefix-required",
        "A static route of a VPC has no prefix.",
    ),
    c(
        "vpc.subnet.gateway-invalid",
        "A VPC subnet's gateway is not a valid IP address.",
    ),
    c(
        "vpc.subnet.gateway-outside",
        "A VPC subnet's gateway is not inside the subnet.",
    ),
    c(
        "vpc.subnet.gateway-required",
        "A VPC subnet that is not hostBGP has no gateway (defaulting normally sets the first address).",
    ),
    c(
        "vpc.subnet.host-bgp-dhcp",
        "A hostBGP VPC subnet enables DHCP, which hostBGP subnets must not do.",
    ),
    c(
        "vpc.subnet.invalid",
        "A VPC subnet's prefix is not a valid CIDR prefix.",
    ),
    c(
        "vpc.subnet.missing",
        "A VPC subnet has no prefix (spec.subnets.<name>.subnet); set it.",
    ),
    c(
        "vpc.subnet.overlap",
        "Two subnets of the same VPC overlap; make them disjoint.",
    ),
    c(
        "vpc.subnet.prefix-too-long",
        "A VPC subnet's prefix is longer than /30, which leaves no room for hosts; use /30 or shorter.",
    ),
    c(
        "vpc.subnet.reserved",
        "A VPC subnet overlaps a subnet reserved by the fabric configuration (management, fabric, protocol, VTEP …); choose another.",
    ),
    c(
        "vpc.subnet.vlan-duplicate",
        "Two subnets of the same VPC that are not hostBGP use the same VLAN; give each its own.",
    ),
    c(
        "vpc.subnet.vlan-required",
        "A VPC subnet that is not hostBGP has no VLAN (or VLAN 0); set spec.subnets.<name>.vlan.",
    ),
    c(
        "vpc.subnets.none",
        "A VPC has no subnets; define at least one.",
    ),
    c("vpc.subnets.too-many", "A VPC has more than 20 subnets."),
    c(
        "vpc.vlan-namespace.required",
        "A VPC has no spec.vlanNamespace (defaulting normally sets it to default).",
    ),
];

/// The entry of `code`, when this crate emits it.
pub fn diagnostic(code: &str) -> Option<&'static CodeInfo> {
    let found = DIAGNOSTICS.binary_search_by(|info| info.code.cmp(code));
    found.ok().map(|i| &DIAGNOSTICS[i])
}

const fn c(code: &'static str, meaning: &'static str) -> CodeInfo {
    CodeInfo { code, meaning }
}
