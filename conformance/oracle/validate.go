package main

import (
	"context"
	"fmt"
	"strings"

	"go.githedgehog.com/fabric/api/meta"
	vpcapi "go.githedgehog.com/fabric/api/vpc/v1beta1"
	wiringapi "go.githedgehog.com/fabric/api/wiring/v1beta1"
	"go.githedgehog.com/fabric/pkg/ctrl/switchprofile"
	kclient "sigs.k8s.io/controller-runtime/pkg/client"
)

// registerProfiles registers the built-in switch profiles once for a run, as hhfab does
// for each validation (their validation reads no other object).
func registerProfiles(ctx context.Context, cfg *meta.FabricConfig) (*switchprofile.Default, error) {
	profiles := switchprofile.NewDefaultSwitchProfiles()
	if err := profiles.RegisterAll(ctx, nil, cfg); err != nil {
		return nil, fmt.Errorf("registering default switch profiles for validation: %w", err)
	}
	return profiles, nil
}

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
// enforced (other profiles are deleted unless cfg.AllowExtraSwitchProfiles; see
// enforceProfiles), then, kind by kind in hhfab's order, every listed object is defaulted (on the listed copy,
// never written back) and validated against the fake client.
//
// With storeDefaulted, every object is stored as its Default() leaves it, as an API
// server with upstream's mutating webhooks would hold it; hhfab does not do that, so its
// cross-object checks see referenced objects as written (e.g. a VPC without vlanNamespace).
func validateSources(ctx context.Context, sources []source, cfg *meta.FabricConfig, profiles *switchprofile.Default, storeDefaulted bool) report {
	l := loadSources(ctx, sources, storeDefaulted)
	diags := l.diagnostics

	// Nothing writes from here on: validation reads a snapshot, not the fake client.
	snap, err := takeSnapshot(ctx, l.kube)
	if err != nil {
		diags = append(diags, diagnostic{Severity: "error", Code: "upstream.list", Message: err.Error()})
		return newReport(l.objects, diags)
	}
	snap.enforceProfiles(profiles, cfg)
	for _, list := range kindOrder() {
		if err := snap.List(ctx, list); err != nil {
			diags = append(diags, diagnostic{Severity: "error", Code: "upstream.list", Message: fmt.Sprintf("listing %T: %v", list, err)})
			continue
		}
		for _, obj := range list.GetItems() {
			if _, builtin := obj.(*wiringapi.SwitchProfile); builtin && !l.fromInput(obj) {
				// A built-in profile the input did not bring: RegisterAll has validated it
				// with this configuration already.
				continue
			}
			diags = append(diags, l.validateObject(ctx, obj, snap, cfg)...)
		}
	}
	return newReport(l.objects, diags)
}

// validateObject runs upstream's Default() and Validate() on one listed object.
func (l *loaded) validateObject(ctx context.Context, obj meta.Object, kube kclient.Reader, cfg *meta.FabricConfig) []diagnostic {
	kind := kindOf(obj)
	// Built-in profiles that enforceProfiles added have no place in the input.
	at := l.places[placeKey(kind, obj.GetNamespace(), obj.GetName())]
	warnings, err := defaultAndValidate(ctx, obj, kube, cfg)
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
	switch {
	case err != nil && strings.HasPrefix(err.Error(), "panic: "):
		add("error", "upstream.panic", err.Error())
	case err != nil:
		add("error", "upstream.validate", err.Error())
	}
	for _, w := range warnings {
		add("warning", "upstream.warning", w)
	}
	return out
}

// fromInput tells whether the object came from the input files.
func (l *loaded) fromInput(obj meta.Object) bool {
	_, ok := l.places[placeKey(kindOf(obj), obj.GetNamespace(), obj.GetName())]
	return ok
}

// defaultAndValidate runs Default() and Validate(); a panic in upstream's code is reported as
// the object's error (prefixed "panic: ") instead of ending the run.
func defaultAndValidate(ctx context.Context, obj meta.Object, kube kclient.Reader, cfg *meta.FabricConfig) (warnings []string, err error) {
	err = guard(func() error {
		obj.Default()
		warnings, err = obj.Validate(ctx, kube, cfg)
		return err
	})
	return warnings, err
}

// guard turns a panic of f into an error "panic: ...".
func guard(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return f()
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
