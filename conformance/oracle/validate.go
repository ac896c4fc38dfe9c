package main

import (
	"context"
	"fmt"

	"go.githedgehog.com/fabric/api/meta"
	vpcapi "go.githedgehog.com/fabric/api/vpc/v1beta1"
	wiringapi "go.githedgehog.com/fabric/api/wiring/v1beta1"
	"go.githedgehog.com/fabric/pkg/ctrl/switchprofile"
)

// kindOrder is hhfab's validation order (fabricator pkg/util/apiutil/include.go,
// ValidateFabricGateway), without the gateway kinds.
func kindOrder() []meta.ObjectList {
	return []meta.ObjectList{
		&wiringapi.SwitchProfileList{},
		&wiringapi.VLANNamespaceList{},
		&wiringapi.SwitchGroupList{},
		&wiringapi.SwitchList{},
		&wiringapi.ServerList{},
		&wiringapi.ConnectionList{},
		&wiringapi.ServerProfileList{},
		&vpcapi.IPv4NamespaceList{},
		&vpcapi.VPCList{},
		&vpcapi.VPCAttachmentList{},
		&vpcapi.VPCPeeringList{},
		&vpcapi.ExternalList{},
		&vpcapi.ExternalAttachmentList{},
		&vpcapi.ExternalPeeringList{},
	}
}

// validateSources loads the sources and validates the fabric as hhfab does, but reports every
// object's error instead of stopping at the first: the built-in switch profiles are
// registered and enforced (other profiles are deleted unless cfg.AllowExtraSwitchProfiles),
// then, kind by kind in hhfab's order, every listed object is defaulted (on the listed copy,
// never written back) and validated against the fake client.
//
// With storeDefaulted, every object is first stored as its Default() leaves it, as an API
// server with upstream's mutating webhooks would hold it; hhfab does not do that, so its
// cross-object checks see referenced objects as written (e.g. a VPC without vlanNamespace).
func validateSources(ctx context.Context, sources []source, cfg *meta.FabricConfig, storeDefaulted bool) report {
	l := loadSources(ctx, sources)
	diags := l.diagnostics

	profiles := switchprofile.NewDefaultSwitchProfiles()
	if err := profiles.RegisterAll(ctx, l.kube, cfg); err != nil {
		diags = append(diags, diagnostic{Severity: "error", Code: "upstream.profiles", Message: fmt.Sprintf("registering default switch profiles for validation: %v", err)})
		return newReport(l.objects, diags)
	}
	if err := profiles.Enforce(ctx, l.kube, cfg, false); err != nil {
		diags = append(diags, diagnostic{Severity: "error", Code: "upstream.profiles", Message: fmt.Sprintf("enforcing default switch profiles for validation: %v", err)})
		return newReport(l.objects, diags)
	}

	if storeDefaulted {
		diags = append(diags, l.storeDefaulted(ctx)...)
	}
	for _, list := range kindOrder() {
		if err := l.kube.List(ctx, list); err != nil {
			diags = append(diags, diagnostic{Severity: "error", Code: "upstream.list", Message: fmt.Sprintf("listing %T: %v", list, err)})
			continue
		}
		for _, obj := range list.GetItems() {
			diags = append(diags, l.validateObject(ctx, obj, cfg)...)
		}
	}
	return newReport(l.objects, diags)
}

// storeDefaulted replaces every stored object by its defaulted form.
func (l *loaded) storeDefaulted(ctx context.Context) []diagnostic {
	var out []diagnostic
	for _, list := range kindOrder() {
		if err := l.kube.List(ctx, list); err != nil {
			out = append(out, diagnostic{Severity: "error", Code: "upstream.list", Message: fmt.Sprintf("listing %T: %v", list, err)})
			continue
		}
		for _, obj := range list.GetItems() {
			obj.Default()
			if err := l.kube.Update(ctx, obj); err != nil {
				d := diagnostic{Severity: "error", Code: "upstream.store", Message: fmt.Sprintf("storing defaulted object: %v", err)}
				d.setObject(kindOf(obj), obj.GetNamespace(), obj.GetName())
				out = append(out, d)
			}
		}
	}
	return out
}

// validateObject runs upstream's Default() and Validate() on one listed object.
func (l *loaded) validateObject(ctx context.Context, obj meta.Object, cfg *meta.FabricConfig) []diagnostic {
	kind := kindOf(obj)
	// Built-in profiles that Enforce created have no place in the input.
	at := l.places[placeKey(kind, obj.GetNamespace(), obj.GetName())]
	obj.Default()
	warnings, err := obj.Validate(ctx, l.kube, cfg)
	var out []diagnostic
	add := func(severity, code, message string) {
		d := diagnostic{Severity: severity, Code: code, Message: message}
		d.setObject(kind, obj.GetNamespace(), obj.GetName())
		if at.file != "" {
			d.File = &at.file
		}
		if at.line != 0 {
			line := at.line
			d.Line = &line
		}
		out = append(out, d)
	}
	if err != nil {
		add("error", "upstream.validate", err.Error())
	}
	for _, w := range warnings {
		add("warning", "upstream.warning", w)
	}
	return out
}

// kindOf names the kind of a listed object (lists from the fake client leave TypeMeta empty).
func kindOf(obj meta.Object) string {
	switch obj.(type) {
	case *wiringapi.SwitchProfile:
		return "SwitchProfile"
	case *wiringapi.VLANNamespace:
		return "VLANNamespace"
	case *wiringapi.SwitchGroup:
		return "SwitchGroup"
	case *wiringapi.Switch:
		return "Switch"
	case *wiringapi.Server:
		return "Server"
	case *wiringapi.Connection:
		return "Connection"
	case *wiringapi.ServerProfile:
		return "ServerProfile"
	case *vpcapi.IPv4Namespace:
		return "IPv4Namespace"
	case *vpcapi.VPC:
		return "VPC"
	case *vpcapi.VPCAttachment:
		return "VPCAttachment"
	case *vpcapi.VPCPeering:
		return "VPCPeering"
	case *vpcapi.External:
		return "External"
	case *vpcapi.ExternalAttachment:
		return "ExternalAttachment"
	case *vpcapi.ExternalPeering:
		return "ExternalPeering"
	}
	return fmt.Sprintf("%T", obj)
}
