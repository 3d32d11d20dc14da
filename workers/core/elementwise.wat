;; Element-wise passes of the planned trainer in WebAssembly SIMD, on the shared arena.
;;
;;   bias_act: Z = Z + b (b broadcast along each row), A = g(Z) with g = sigmoid (act 0) or tanh (act 1)
;;
;; exp is computed in float32 precision (about 2 ulp): x = k ln2 + r with |r| <= ln2/2 (Cody-Waite),
;; e^r by a degree-6 polynomial, 2^k built in the exponent bits. Inputs are clamped to [-87.3, 88] so
;; 2^k never overflows; NaN stays NaN (so divergence is still seen). Offsets are in bytes.
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func $exp4 (param $x v128) (result v128)
    (local $k v128) (local $r v128) (local $p v128)
    (local.set $x (f32x4.max (f32x4.min (local.get $x) (v128.const f32x4 88.0 88.0 88.0 88.0))
                             (v128.const f32x4 -87.3 -87.3 -87.3 -87.3)))
    ;; k = round(x / ln2)
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
    ;; r = x - k ln2 (ln2 = 0.693359375 - 2.12194440e-4, the first part exact in float32)
    (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    (local.set $r (f32x4.add (local.get $r) (f32x4.mul (local.get $k) (v128.const f32x4 2.12194440e-4 2.12194440e-4 2.12194440e-4 2.12194440e-4))))
    ;; e^r = 1 + r (1 + r (1/2 + r (1/6 + r (1/24 + r (1/120 + r / 720)))))
    (local.set $p (f32x4.add (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)
                             (f32x4.mul (local.get $r) (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3))))
    (local.set $p (f32x4.add (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1.66666667e-1 1.66666667e-1 1.66666667e-1 1.66666667e-1) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 0.5 0.5 0.5 0.5) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1.0 1.0 1.0 1.0) (f32x4.mul (local.get $r) (local.get $p))))
    (local.set $p (f32x4.add (v128.const f32x4 1.0 1.0 1.0 1.0) (f32x4.mul (local.get $r) (local.get $p))))
    ;; times 2^k: (k + 127) << 23 in the exponent field
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

  ;; sigmoid(v) = 1 / (1 + e^-v); tanh(v) = 2 / (1 + e^-2v) - 1
  (func $act4 (param $v v128) (param $act i32) (result v128)
    (if (result v128) (i32.eqz (local.get $act))
      (then
        (f32x4.div (v128.const f32x4 1.0 1.0 1.0 1.0)
          (f32x4.add (v128.const f32x4 1.0 1.0 1.0 1.0) (call $exp4 (f32x4.neg (local.get $v))))))
      (else
        (f32x4.sub
          (f32x4.div (v128.const f32x4 2.0 2.0 2.0 2.0)
            (f32x4.add (v128.const f32x4 1.0 1.0 1.0 1.0)
              (call $exp4 (f32x4.mul (local.get $v) (v128.const f32x4 -2.0 -2.0 -2.0 -2.0)))))
          (v128.const f32x4 1.0 1.0 1.0 1.0)))))

  (func (export "bias_act") (param $z i32) (param $a i32) (param $b i32) (param $rows i32) (param $cols i32) (param $act i32)
    (local $i i32) (local $j i32) (local $bias v128) (local $v v128) (local $end4 i32) (local $rz i32) (local $ra i32)
    (local.set $end4 (i32.and (local.get $cols) (i32.const -4)))
    (block $rows_done
      (loop $row
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $bias (v128.load32_splat (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $rz (i32.add (local.get $z) (i32.shl (i32.mul (local.get $i) (local.get $cols)) (i32.const 2))))
        (local.set $ra (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $cols)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $vec_done
          (loop $vec
            (br_if $vec_done (i32.ge_u (local.get $j) (local.get $end4)))
            (local.set $v (f32x4.add (v128.load (i32.add (local.get $rz) (i32.shl (local.get $j) (i32.const 2)))) (local.get $bias)))
            (v128.store (i32.add (local.get $rz) (i32.shl (local.get $j) (i32.const 2))) (local.get $v))
            (v128.store (i32.add (local.get $ra) (i32.shl (local.get $j) (i32.const 2))) (call $act4 (local.get $v) (local.get $act)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $vec)))
        ;; the last cols % 4 values, one at a time in lane 0 (same arithmetic as the vector lanes)
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $j) (local.get $cols)))
            (local.set $v (f32x4.add (v128.load32_zero (i32.add (local.get $rz) (i32.shl (local.get $j) (i32.const 2)))) (local.get $bias)))
            (v128.store32_lane 0 (i32.add (local.get $rz) (i32.shl (local.get $j) (i32.const 2))) (local.get $v))
            (v128.store32_lane 0 (i32.add (local.get $ra) (i32.shl (local.get $j) (i32.const 2))) (call $act4 (local.get $v) (local.get $act)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $tail)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row))))
)
