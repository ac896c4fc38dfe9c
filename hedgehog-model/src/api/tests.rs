//! Serde behaviour of the API types on real YAML: Go's zero values, `omitempty`, unknown
//! enum strings, and the helpers upstream has as methods.

use super::*;

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(
    text: &str,
) -> (T, serde_json::Value) {
    let input: serde_json::Value = serde_yaml_ng::from_str(text).unwrap();
    let typed: T = serde_json::from_value(input.clone()).unwrap();
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(back, input, "serialising gives back what Go would print");
    (typed, back)
}

#[test]
fn switch_round_trips_and_keeps_unknown_roles() {
    let (sw, _) = round_trip::<Switch>(
        r#"
apiVersion: wiring.githedgehog.com/v1beta1
kind: Switch
metadata: {name: leaf-01, namespace: default}
spec:
  role: virtual-edge
  redundancy: {group: mclag-1, type: mclag}
  asn: 65101
  boot: {serial: XYZ}
  ecmp: {roceQPN: true}
  portAutoNegs: {E1/1: false}
  linkFlapErrDisable: {flapThreshold: 3}
"#,
    );
    assert_eq!(sw.spec.role, SwitchRole::Other("virtual-edge".into()));
    assert!(!sw.spec.role.is_leaf());
    assert_eq!(sw.spec.redundancy.r#type, RedundancyType::Mclag);
    assert_eq!(
        sw.spec.link_flap_err_disable.unwrap().flap_threshold,
        Some(3)
    );
    assert!(SwitchRole::BorderLeaf.is_leaf() && SwitchRole::Spine.is_spine());
}

#[test]
fn missing_fields_are_go_zero_values_and_are_not_printed() {
    let (vpc, _) = round_trip::<Vpc>(
        r#"
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata: {name: vpc-1}
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      dhcp: {}
      isolated: false
"#,
    );
    let subnet = &vpc.spec.subnets["default"];
    assert_eq!(
        (subnet.vlan, subnet.isolated, subnet.restricted),
        (0, Some(false), None)
    );
    assert_eq!(vpc.spec.mode, VpcMode::L2vni);
    assert!(!vpc.spec.is_subnet_isolated("default"));
    // A subnet without its own flag takes the VPC's default.
    let mut spec = vpc.spec.clone();
    spec.default_restricted = true;
    assert!(spec.is_subnet_restricted("default"));

    // Go prints struct fields without omitempty even when zero, and always prints the
    // fields of an ACL statement.
    let statement = AclStatement {
        seq: 10,
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&statement).unwrap(),
        serde_json::json!({"seq": 10, "action": "", "protocol": "", "srcPrefix": "", "dstPrefix": ""})
    );
}

#[test]
fn connection_type_is_the_first_set_in_upstream_order() {
    let (conn, _) = round_trip::<Connection>(
        r#"
apiVersion: wiring.githedgehog.com/v1beta1
kind: Connection
metadata: {name: server-01--mclag--leaf-01--leaf-02}
spec:
  mclag:
    links:
    - server: {port: server-01/enp2s1}
      switch: {port: leaf-01/E1/1}
    mtu: 9000
  external:
    link:
      switch: {port: leaf-01/E1/5}
"#,
    );
    assert_eq!(
        conn.spec.connection_types(),
        [ConnectionType::External, ConnectionType::Mclag]
    );
    assert_eq!(
        conn.spec.connection_type().map(ConnectionType::as_str),
        Some("external")
    );
    assert_eq!(ConnectionSpec::default().connection_type(), None);
    let link = &conn.spec.mclag.unwrap().links[0];
    assert_eq!(
        (link.switch.device_name(), link.switch.local_port_name()),
        ("leaf-01", "E1/1")
    );
    let bare = BasePortName {
        port: "leaf-01".into(),
    };
    assert_eq!(
        (bare.device_name(), bare.local_port_name()),
        ("leaf-01", "")
    );
}
