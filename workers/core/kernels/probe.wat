;; Smallest SIMD module: splats a+b into 4 lanes and sums them (so 4 * (a + b)).
(module
  (func (export "add4") (param $a i32) (param $b i32) (result i32)
    (local $v v128)
    (local.set $v (i32x4.splat (i32.add (local.get $a) (local.get $b))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v))))))
