;; Element-wise passes of the planned trainer in WebAssembly SIMD, on the shared arena.
;;
;;   bias_act: Z = Z + b (b broadcast along each row), A = g(Z) with g = sigmoid (act 0) or tanh (act 1)
;;   sgd, momentum, adam: the optimizer's step over the parameter block, in float64 arithmetic on
;;     float32 storage, operation for operation as workers/core/optimizer.ts writes it in JavaScript
;;     (no fused multiply-add), so both give the same bits.
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

  ;; float32 lanes 0,1 and 2,3 of a vector as float64 pairs, and two float64 pairs back as float32 lanes
  (func $lo (param $x v128) (result v128) (f64x2.promote_low_f32x4 (local.get $x)))
  (func $hi (param $x v128) (result v128)
    (f64x2.promote_low_f32x4
      (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $x) (local.get $x))))
  (func $pack (param $a v128) (param $b v128) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $a)) (f32x4.demote_f64x2_zero (local.get $b))))

  ;; W = W - lr dW (p, g: byte offsets of the parameters and the gradients; n values)
  (func $sgd2 (param $p v128) (param $g v128) (param $lr v128) (result v128)
    (f64x2.sub (local.get $p) (f64x2.mul (local.get $lr) (local.get $g))))
  (func (export "sgd") (param $p i32) (param $g i32) (param $n i32) (param $lr f64)
    (local $o i32) (local $end i32) (local $lr2 v128) (local $pv v128) (local $gv v128)
    (local.set $lr2 (f64x2.splat (local.get $lr)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $pv (v128.load (i32.add (local.get $p) (local.get $o))))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
        (v128.store (i32.add (local.get $p) (local.get $o))
          (call $pack
            (call $sgd2 (call $lo (local.get $pv)) (call $lo (local.get $gv)) (local.get $lr2))
            (call $sgd2 (call $hi (local.get $pv)) (call $hi (local.get $gv)) (local.get $lr2))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $vec)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $o) (local.get $end)))
        (f32.store (i32.add (local.get $p) (local.get $o))
          (f32.demote_f64
            (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $p) (local.get $o))))
              (f64.mul (local.get $lr) (f64.promote_f32 (f32.load (i32.add (local.get $g) (local.get $o))))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $tail))))

  ;; v = b1 v + (1 - b1) dW; W = W - lr v (omb1 = 1 - b1, as JavaScript computes it)
  (func (export "momentum") (param $p i32) (param $g i32) (param $v i32) (param $n i32)
    (param $lr f64) (param $b1 f64) (param $omb1 f64)
    (local $o i32) (local $end i32) (local $lr2 v128) (local $b12 v128) (local $om2 v128)
    (local $pv v128) (local $gv v128) (local $vv v128) (local $vlo v128) (local $vhi v128)
    (local $vs f64)
    (local.set $lr2 (f64x2.splat (local.get $lr)))
    (local.set $b12 (f64x2.splat (local.get $b1)))
    (local.set $om2 (f64x2.splat (local.get $omb1)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $pv (v128.load (i32.add (local.get $p) (local.get $o))))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
        (local.set $vv (v128.load (i32.add (local.get $v) (local.get $o))))
        (local.set $vlo (f64x2.add (f64x2.mul (local.get $b12) (call $lo (local.get $vv)))
                                   (f64x2.mul (local.get $om2) (call $lo (local.get $gv)))))
        (local.set $vhi (f64x2.add (f64x2.mul (local.get $b12) (call $hi (local.get $vv)))
                                   (f64x2.mul (local.get $om2) (call $hi (local.get $gv)))))
        (v128.store (i32.add (local.get $v) (local.get $o)) (call $pack (local.get $vlo) (local.get $vhi)))
        (v128.store (i32.add (local.get $p) (local.get $o))
          (call $pack
            (call $sgd2 (call $lo (local.get $pv)) (local.get $vlo) (local.get $lr2))
            (call $sgd2 (call $hi (local.get $pv)) (local.get $vhi) (local.get $lr2))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $vec)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $vs
          (f64.add (f64.mul (local.get $b1) (f64.promote_f32 (f32.load (i32.add (local.get $v) (local.get $o)))))
                   (f64.mul (local.get $omb1) (f64.promote_f32 (f32.load (i32.add (local.get $g) (local.get $o)))))))
        (f32.store (i32.add (local.get $v) (local.get $o)) (f32.demote_f64 (local.get $vs)))
        (f32.store (i32.add (local.get $p) (local.get $o))
          (f32.demote_f64
            (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $p) (local.get $o))))
              (f64.mul (local.get $lr) (local.get $vs)))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $tail))))

  ;; Adam's parameter update on one float64 pair (v, s: the moments already updated).
  ;;   v = b1 v + (1 - b1) g; s = b2 s + (1 - b2) g g; W = W - (lr v c1) / (sqrt(s c2) + eps)
  (func $adam2 (param $p v128) (param $v v128) (param $s v128)
    (param $lr v128) (param $c1 v128) (param $c2 v128) (param $eps v128) (result v128)
    (f64x2.sub (local.get $p)
      (f64x2.div (f64x2.mul (f64x2.mul (local.get $lr) (local.get $v)) (local.get $c1))
                 (f64x2.add (f64x2.sqrt (f64x2.mul (local.get $s) (local.get $c2))) (local.get $eps)))))
  (func (export "adam") (param $p i32) (param $g i32) (param $v i32) (param $s i32) (param $n i32)
    (param $lr f64) (param $b1 f64) (param $omb1 f64) (param $b2 f64) (param $omb2 f64)
    (param $c1 f64) (param $c2 f64) (param $eps f64)
    (local $o i32) (local $end i32)
    (local $lr2 v128) (local $b12 v128) (local $om12 v128) (local $b22 v128) (local $om22 v128)
    (local $c12 v128) (local $c22 v128) (local $eps2 v128)
    (local $pv v128) (local $gv v128) (local $vv v128) (local $sv v128)
    (local $glo v128) (local $ghi v128) (local $vlo v128) (local $vhi v128) (local $slo v128) (local $shi v128)
    (local $gs f64) (local $vs f64) (local $ss f64)
    (local.set $lr2 (f64x2.splat (local.get $lr)))
    (local.set $b12 (f64x2.splat (local.get $b1)))
    (local.set $om12 (f64x2.splat (local.get $omb1)))
    (local.set $b22 (f64x2.splat (local.get $b2)))
    (local.set $om22 (f64x2.splat (local.get $omb2)))
    (local.set $c12 (f64x2.splat (local.get $c1)))
    (local.set $c22 (f64x2.splat (local.get $c2)))
    (local.set $eps2 (f64x2.splat (local.get $eps)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $vec
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $pv (v128.load (i32.add (local.get $p) (local.get $o))))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $o))))
        (local.set $vv (v128.load (i32.add (local.get $v) (local.get $o))))
        (local.set $sv (v128.load (i32.add (local.get $s) (local.get $o))))
        (local.set $glo (call $lo (local.get $gv)))
        (local.set $ghi (call $hi (local.get $gv)))
        (local.set $vlo (f64x2.add (f64x2.mul (local.get $b12) (call $lo (local.get $vv)))
                                   (f64x2.mul (local.get $om12) (local.get $glo))))
        (local.set $vhi (f64x2.add (f64x2.mul (local.get $b12) (call $hi (local.get $vv)))
                                   (f64x2.mul (local.get $om12) (local.get $ghi))))
        (local.set $slo (f64x2.add (f64x2.mul (local.get $b22) (call $lo (local.get $sv)))
                                   (f64x2.mul (f64x2.mul (local.get $om22) (local.get $glo)) (local.get $glo))))
        (local.set $shi (f64x2.add (f64x2.mul (local.get $b22) (call $hi (local.get $sv)))
                                   (f64x2.mul (f64x2.mul (local.get $om22) (local.get $ghi)) (local.get $ghi))))
        (v128.store (i32.add (local.get $v) (local.get $o)) (call $pack (local.get $vlo) (local.get $vhi)))
        (v128.store (i32.add (local.get $s) (local.get $o)) (call $pack (local.get $slo) (local.get $shi)))
        (v128.store (i32.add (local.get $p) (local.get $o))
          (call $pack
            (call $adam2 (call $lo (local.get $pv)) (local.get $vlo) (local.get $slo)
              (local.get $lr2) (local.get $c12) (local.get $c22) (local.get $eps2))
            (call $adam2 (call $hi (local.get $pv)) (local.get $vhi) (local.get $shi)
              (local.get $lr2) (local.get $c12) (local.get $c22) (local.get $eps2))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $vec)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $gs (f64.promote_f32 (f32.load (i32.add (local.get $g) (local.get $o)))))
        (local.set $vs
          (f64.add (f64.mul (local.get $b1) (f64.promote_f32 (f32.load (i32.add (local.get $v) (local.get $o)))))
                   (f64.mul (local.get $omb1) (local.get $gs))))
        (local.set $ss
          (f64.add (f64.mul (local.get $b2) (f64.promote_f32 (f32.load (i32.add (local.get $s) (local.get $o)))))
                   (f64.mul (f64.mul (local.get $omb2) (local.get $gs)) (local.get $gs))))
        (f32.store (i32.add (local.get $v) (local.get $o)) (f32.demote_f64 (local.get $vs)))
        (f32.store (i32.add (local.get $s) (local.get $o)) (f32.demote_f64 (local.get $ss)))
        (f32.store (i32.add (local.get $p) (local.get $o))
          (f32.demote_f64
            (f64.sub (f64.promote_f32 (f32.load (i32.add (local.get $p) (local.get $o))))
              (f64.div (f64.mul (f64.mul (local.get $lr) (local.get $vs)) (local.get $c1))
                       (f64.add (f64.sqrt (f64.mul (local.get $ss) (local.get $c2))) (local.get $eps))))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $tail))))
)
