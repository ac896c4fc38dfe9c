//! Schema checks (`check_schema`) on real YAML objects, and the field path of typed decode
//! errors.

use hedgehog_model::{Kind, Object, check_schema};
use serde_json::Value;

fn yaml(text: &str) -> Value {
    serde_yaml_ng::from_str(text).unwrap()
}

/// `(code, path, message)` of every diagnostic, in order.
fn check(kind: Kind, text: &str) -> Vec<(String, String, String)> {
    check_schema(kind, &yaml(text))
        .into_iter()
        .map(|d| (d.code.to_owned(), d.path.to_string(), d.message))
        .collect()
}

fn triple(code: &str, path: &str, message: &str) -> (String, String, String) {
    (code.to_owned(), path.to_owned(), message.to_owned())
}

const SWITCH: &str = r#"
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata:
  name: leaf-01
  namespace: default
spec:
  role: server-leaf
  description: VS-01 ESLAG
  profile: vs
  groups: [eslag-1]
  redundancy:
    group: eslag-1
    type: eslag
  boot:
    mac: 0c:20:12:ff:00:00
  portBreakouts:
    E1/55: 4x25G
  portFECs:
    E1/1: rs
  linkFlapErrDisable:
    flapThreshold: 5
    recoveryInterval: 0
status: {}
"#;

#[test]
fn valid_objects_pass() {
    assert_eq!(check(Kind::Switch, SWITCH), []);
    let vpc = r#"
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata: {name: vpc-1, namespace: default}
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
      dhcp:
        enable: true
        range: {start: 10.0.1.10}
        options: {interfaceMTU: 9036, leaseTimeSeconds: 3600, dnsServers: [1.1.1.1]}
        static:
          "0c:20:12:ff:00:01": {ip: 10.0.1.5}
  permit: [[default]]
"#;
    assert_eq!(check(Kind::Vpc, vpc), []);
    let fabric = r#"
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata: {name: spine-01--fabric--leaf-01}
spec:
  fabric:
    links:
    - spine: {port: spine-01/E1/1, ip: 172.30.128.0/31}
      leaf: {port: leaf-01/E1/8, ip: 172.30.128.1/31}
"#;
    assert_eq!(check(Kind::Connection, fabric), []);
}

#[test]
fn enum_required_and_bounds_are_reported_like_the_api_server() {
    let bad = SWITCH
        .replace("role: server-leaf", "role: leaf")
        .replace("flapThreshold: 5", "flapThreshold: 51")
        .replace(
            "recoveryInterval: 0",
            "recoveryInterval: 0\n    samplingInterval: 0",
        )
        .replace("type: eslag", "type: multi")
        .replace("E1/1: rs", "E1/1: fast");
    assert_eq!(
        check(Kind::Switch, &bad),
        [
            triple(
                "schema.enum",
                "spec.role",
                r#"Unsupported value: "leaf": supported values: "spine", "server-leaf", "border-leaf", "mixed-leaf", "virtual-edge""#
            ),
            triple(
                "schema.enum",
                "spec.redundancy.type",
                r#"Unsupported value: "multi": supported values: "mclag", "eslag""#
            ),
            triple(
                "schema.enum",
                "spec.portFECs.E1/1",
                r#"Unsupported value: "fast": supported values: "rs", "fc", "auto", "disabled""#
            ),
            triple(
                "schema.maximum",
                "spec.linkFlapErrDisable.flapThreshold",
                "Invalid value: 51: spec.linkFlapErrDisable.flapThreshold in body should be less than or equal to 50"
            ),
            triple(
                "schema.minimum",
                "spec.linkFlapErrDisable.samplingInterval",
                "Invalid value: 0: spec.linkFlapErrDisable.samplingInterval in body should be greater than or equal to 1"
            ),
        ]
    );
    let no_role = SWITCH.replace("role: server-leaf", "role: null");
    assert_eq!(
        check(Kind::Switch, &no_role),
        [triple("schema.required", "spec.role", "Required value")]
    );
    let no_role = SWITCH.replace("  role: server-leaf\n", "");
    assert_eq!(
        check(Kind::Switch, &no_role),
        [triple("schema.required", "spec.role", "Required value")]
    );
}

#[test]
fn types_items_patterns_and_nested_required() {
    let vpc = r#"
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata: {name: vpc-1}
spec:
  subnets:
    default:
      vlan: abc
      isolated: "yes"
      dhcp:
        options: {leaseTimeSeconds: 3600}
        static:
          "0c:20:12:ff:00:01": {}
"#;
    assert_eq!(
        check(Kind::Vpc, vpc),
        [
            triple(
                "schema.type",
                "spec.subnets.default.vlan",
                r#"Invalid value: "string": spec.subnets.default.vlan in body must be of type integer: "string""#
            ),
            triple(
                "schema.type",
                "spec.subnets.default.isolated",
                r#"Invalid value: "string": spec.subnets.default.isolated in body must be of type boolean: "string""#
            ),
            triple(
                "schema.required",
                "spec.subnets.default.dhcp.options.interfaceMTU",
                "Required value"
            ),
            triple(
                "schema.required",
                "spec.subnets.default.dhcp.static.0c:20:12:ff:00:01.ip",
                "Required value"
            ),
        ]
    );
    let vlanns = "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata: {name: default}\nspec:\n  ranges: []\n";
    assert_eq!(
        check(Kind::VlanNamespace, vlanns),
        [triple(
            "schema.min-items",
            "spec.ranges",
            "Invalid value: 0: spec.ranges in body should have at least 1 items"
        )]
    );
    let many: String = (0..21)
        .map(|i| format!("  - {{from: {}, to: {}}}\n", 1000 + i, 1000 + i))
        .collect();
    let vlanns = format!(
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: VLANNamespace\nmetadata: {{name: default}}\nspec:\n  ranges:\n{many}"
    );
    assert_eq!(
        check(Kind::VlanNamespace, &vlanns),
        [triple(
            "schema.max-items",
            "spec.ranges",
            "Too many: 21: must have at most 20 items"
        )]
    );
    let conn = r#"
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata: {name: c}
spec:
  staticExternal:
    link:
      switch: {port: leaf-01/E1/7, ip: 172.31.1.1/33, nextHop: 172.31.1.5, vlan: 70000}
"#;
    assert_eq!(
        check(Kind::Connection, conn),
        [triple(
            "schema.pattern",
            "spec.staticExternal.link.switch.ip",
            r#"Invalid value: "172.31.1.1/33": spec.staticExternal.link.switch.ip in body should match '^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)\.?\b){4}/([1-2]?[0-9]|3[0-2])$'"#
        )],
        "a VLAN above 65535 is not a schema error: upstream declares no bound for uint16"
    );
    let attach =
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: ExternalAttachment\nmetadata: {name: a}\n";
    assert_eq!(
        check(Kind::ExternalAttachment, attach),
        [triple("schema.required", "spec", "Required value")]
    );
}

#[test]
fn typed_decode_errors_carry_the_field_path() {
    let vpc = yaml(
        "apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata: {name: vpc-1}\nspec:\n  subnets:\n    default: {subnet: 10.0.1.0/24, vlan: abc}\n",
    );
    let decoded = Object::from_value(vpc);
    assert!(matches!(decoded.object, Object::Unknown(_)));
    let [d] = decoded.diagnostics.as_slice() else {
        panic!("{:?}", decoded.diagnostics)
    };
    assert_eq!(d.code, "decode.invalid-value");
    assert_eq!(d.path.to_string(), "spec.subnets.default.vlan");
    let sw = yaml(
        "apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata: {name: s}\nspec:\n  groups: [a, 7]\n",
    );
    let decoded = Object::from_value(sw);
    assert_eq!(decoded.diagnostics[0].path.to_string(), "spec.groups[1]");
}
