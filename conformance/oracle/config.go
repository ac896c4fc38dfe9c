package main

import (
	"fmt"
	"os"

	"go.githedgehog.com/fabric/api/meta"
	kyaml "sigs.k8s.io/yaml"
)

// hhfabFabricConfig is the FabricConfig that hhfab derives from its default fab.yaml
// (fabricator pkg/fab/defaults.go DefaultConfig, turned into a FabricConfig by
// pkg/fab/comp/fabric/fabric.go GetFabricConfig). Only fields that validation can depend on
// are filled; image references and observability do not matter here. The same values are
// hedgehog_model::config::FabricConfig::default().
func hhfabFabricConfig() *meta.FabricConfig {
	const (
		managementSubnet    = "172.30.0.0/21"
		fabricSubnet        = "172.30.128.0/17"
		protocolSubnet      = "172.30.8.0/22"
		vtepSubnet          = "172.30.12.0/22"
		workaroundSubnet    = "172.30.96.0/19"
		mclagSessionSubnet  = "172.30.95.0/31"
		proxyExternalSubnet = "172.30.16.0/22"
	)
	return &meta.FabricConfig{
		ControlVIP:             "172.30.0.1/32",
		APIServer:              "172.30.0.1:6443",
		AgentRepo:              "172.30.0.1:31000/githedgehog/fabric/agent",
		VPCIRBVLANRanges:       []meta.VLANRange{{From: 3000, To: 3899}},
		VPCPeeringVLANRanges:   []meta.VLANRange{{From: 100, To: 3999}},
		TH5WorkaroundVLANRange: []meta.VLANRange{{From: 3900, To: 3999}},
		ReservedSubnets: []string{
			managementSubnet, fabricSubnet, protocolSubnet, vtepSubnet,
			workaroundSubnet, mclagSessionSubnet, proxyExternalSubnet,
		},
		FabricMode:            meta.FabricModeSpineLeaf,
		BaseVPCCommunity:      "50000:0",
		VPCLoopbackSubnet:     workaroundSubnet,
		FabricMTU:             9100,
		ServerFacingMTUOffset: 64,
		ESLAGMACBase:          "f2:00:00:00:00:00",
		ESLAGESIPrefix:        "00:f2:00:00:",
		DefaultMaxPathsEBGP:   64,
		MCLAGSessionSubnet:    mclagSessionSubnet,
		GatewayASN:            65534,
		ProtocolSubnet:        protocolSubnet,
		VTEPSubnet:            vtepSubnet,
		FabricSubnet:          fabricSubnet,
		L2ProxyExternalSubnet: proxyExternalSubnet,
		SpineASN:              65100,
		LeafASNStart:          65101,
		LeafASNEnd:            65533,
		ManagementSubnet:      managementSubnet,
		ManagementDHCPStart:   "172.30.4.0",
		ManagementDHCPEnd:     "172.30.7.254",
		GatewayBFD:            true,
	}
}

// configError is why no usable FabricConfig exists: the file could not be read (a usage
// problem) or upstream's Init() refused it (reported like a validation error).
type configError struct {
	err     error
	invalid bool
}

// loadFabricConfig overlays the file (upstream field names; null or missing fields keep
// hhfab's values, as in hedgehogd) on hhfab's defaults and runs upstream's Init().
func loadFabricConfig(path string) (*meta.FabricConfig, *configError) {
	cfg := hhfabFabricConfig()
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, &configError{err: fmt.Errorf("reading fabric config: %w", err)}
		}
		if err := kyaml.Unmarshal(data, cfg); err != nil {
			return nil, &configError{err: fmt.Errorf("invalid fabric config: %w", err), invalid: true}
		}
	}
	initialised, err := cfg.Init()
	if err != nil {
		return nil, &configError{err: err, invalid: true}
	}
	return initialised, nil
}

// configReport reports a FabricConfig that upstream refuses; nothing else can be validated.
func configReport(cfgErr *configError) report {
	return newReport(0, []diagnostic{{
		Severity: "error",
		Code:     "upstream.config",
		Message:  cfgErr.err.Error(),
	}})
}
