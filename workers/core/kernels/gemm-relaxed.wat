;; Single-precision matrix product on the shared arena, WebAssembly SIMD (128-bit).
;;
;;   C = alpha * op(A) * op(B) + beta * C        row-major, op(X) = X or X^T read by stride
;;
;; GotoBLAS/BLIS structure: for each block of NC columns and KC depth, op(B) is packed into panels
;; of 8 columns (k-major, zero-padded), then for each block of MC rows op(A) is packed into panels of
;; 6 rows (k-major, zero-padded), and a 6 x 8 register-blocked micro-kernel runs over the panels.
;; Packing handles all four transpose combinations and the edges, so the micro-kernel only ever sees
;; unit-stride panels. Edge tiles go through a small tile buffer and are merged element by element.
;;
;; Memory is imported (the arena). The scratch area (packed panels + tile) is a region of that memory
;; set by setScratch; each instance (one per thread) must have its own.
;;
;; gemm-relaxed.wat is this file with every `f32x4.add (x) (f32x4.mul (a) (b))` accumulation replaced
;; by `f32x4.relaxed_madd (a) (b) (x)` (a unit test checks the two stay in step).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Block sizes. KC x 8 floats of B (8 KiB) stay in L1 across the row panels; MC x KC of A (120 KiB)
  ;; stays in L2; NC (set from the scratch size, a multiple of 8, at most 512) bounds the packed B block.
  (global $KC i32 (i32.const 256))
  (global $MC i32 (i32.const 120))
  (global $NC (mut i32) (i32.const 0))
  (global $tile (mut i32) (i32.const 0))
  (global $apack (mut i32) (i32.const 0))
  (global $bpack (mut i32) (i32.const 0))

  ;; Scratch: [tile: 6 x 8 floats, 256 B][A pack: MC*KC floats][B pack: KC*NC floats].
  ;; Returns NC, or 0 when the region is too small (it needs at least 272 + 4*KC*(MC + 8) bytes).
  (func (export "setScratch") (param $offset i32) (param $bytes i32) (result i32)
    (local $nc i32)
    (local.set $nc
      (i32.div_u
        (i32.sub (local.get $bytes) (i32.add (i32.const 272) (i32.mul (i32.const 4) (i32.mul (global.get $MC) (global.get $KC)))))
        (i32.mul (i32.const 4) (global.get $KC))))
    (if (i32.lt_s (i32.sub (local.get $bytes) (i32.add (i32.const 272) (i32.mul (i32.const 4) (i32.mul (global.get $MC) (global.get $KC))))) (i32.const 0))
      (then (return (i32.const 0))))
    (local.set $nc (i32.and (local.get $nc) (i32.const -8)))
    (if (i32.gt_u (local.get $nc) (i32.const 512)) (then (local.set $nc (i32.const 512))))
    (if (i32.eqz (local.get $nc)) (then (return (i32.const 0))))
    (global.set $NC (local.get $nc))
    (global.set $tile (i32.and (i32.add (local.get $offset) (i32.const 15)) (i32.const -16)))
    (global.set $apack (i32.add (global.get $tile) (i32.const 256)))
    (global.set $bpack (i32.add (global.get $apack) (i32.mul (i32.const 4) (i32.mul (global.get $MC) (global.get $KC)))))
    (local.get $nc))

  (func (export "scratchBytes") (param $nc i32) (result i32)
    (i32.add (i32.const 272)
      (i32.mul (i32.const 4) (i32.mul (global.get $KC) (i32.add (global.get $MC) (local.get $nc))))))

  ;; Pack op(A)[0..mc, 0..kc] (element (i,k) at src + i*rs + k*cs, bytes) into panels of 6 rows:
  ;; panel p holds, for each k, the 6 values op(A)[6p..6p+5, k]; rows past mc are zeros.
  (func $packA (param $src i32) (param $rs i32) (param $cs i32) (param $mc i32) (param $kc i32) (param $dst i32)
    (local $i i32) (local $r i32) (local $k i32) (local $s i32) (local $d i32) (local $pd i32)
    (local.set $i (i32.const 0))
    (loop $panels
      ;; one panel: rows i .. i+5
      (local.set $r (i32.const 0))
      (loop $rows
        (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 2))))
        (local.set $k (local.get $kc))
        (if (i32.lt_s (i32.add (local.get $i) (local.get $r)) (local.get $mc))
          (then
            (local.set $s (i32.add (local.get $src) (i32.mul (i32.add (local.get $i) (local.get $r)) (local.get $rs))))
            (loop $copy
              (f32.store (local.get $d) (f32.load (local.get $s)))
              (local.set $s (i32.add (local.get $s) (local.get $cs)))
              (local.set $d (i32.add (local.get $d) (i32.const 24)))
              (br_if $copy (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))
          (else
            (loop $zero
              (f32.store (local.get $d) (f32.const 0))
              (local.set $d (i32.add (local.get $d) (i32.const 24)))
              (br_if $zero (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))))
        (br_if $rows (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 6))))
      (local.set $dst (i32.add (local.get $dst) (i32.mul (local.get $kc) (i32.const 24))))
      (br_if $panels (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 6))) (local.get $mc)))))

  ;; Pack op(B)[0..kc, 0..nc] (element (k,j) at src + k*rs + j*cs, bytes) into panels of 8 columns:
  ;; panel p holds, for each k, the 8 values op(B)[k, 8p..8p+7]; columns past nc are zeros.
  ;; Fast path when a row of op(B) is contiguous (cs = 4) and the panel is full: two v128 copies per k.
  (func $packB (param $src i32) (param $rs i32) (param $cs i32) (param $kc i32) (param $nc i32) (param $dst i32)
    (local $j i32) (local $c i32) (local $k i32) (local $s i32) (local $d i32)
    (local.set $j (i32.const 0))
    (loop $panels
      (if (i32.and (i32.eq (local.get $cs) (i32.const 4)) (i32.le_s (i32.add (local.get $j) (i32.const 8)) (local.get $nc)))
        (then
          (local.set $s (i32.add (local.get $src) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $d (local.get $dst))
          (local.set $k (local.get $kc))
          (loop $rowcopy
            (v128.store offset=0 (local.get $d) (v128.load offset=0 (local.get $s)))
            (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
            (local.set $s (i32.add (local.get $s) (local.get $rs)))
            (local.set $d (i32.add (local.get $d) (i32.const 32)))
            (br_if $rowcopy (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))
        (else
          (local.set $c (i32.const 0))
          (loop $cols
            (local.set $d (i32.add (local.get $dst) (i32.shl (local.get $c) (i32.const 2))))
            (local.set $k (local.get $kc))
            (if (i32.lt_s (i32.add (local.get $j) (local.get $c)) (local.get $nc))
              (then
                (local.set $s (i32.add (local.get $src) (i32.mul (i32.add (local.get $j) (local.get $c)) (local.get $cs))))
                (loop $copy
                  (f32.store (local.get $d) (f32.load (local.get $s)))
                  (local.set $s (i32.add (local.get $s) (local.get $rs)))
                  (local.set $d (i32.add (local.get $d) (i32.const 32)))
                  (br_if $copy (local.tee $k (i32.sub (local.get $k) (i32.const 1))))))
              (else
                (loop $zero
                  (f32.store (local.get $d) (f32.const 0))
                  (local.set $d (i32.add (local.get $d) (i32.const 32)))
                  (br_if $zero (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))))
            (br_if $cols (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (i32.const 8))))))
      (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $kc) (i32.const 5))))
      (br_if $panels (i32.lt_s (local.tee $j (i32.add (local.get $j) (i32.const 8))) (local.get $nc)))))

  ;; The 6 x 8 micro-kernel: 12 f32x4 accumulators; per k, two loads of the packed B row (8 floats)
  ;; and six splat loads of the packed A column (6 floats). pa, pb, c are byte addresses; ldc in bytes.
  (func $kernel (param $pa i32) (param $pb i32) (param $kc i32) (param $c i32) (param $ldc i32)
                (param $alpha f32) (param $beta f32)
    (local $a v128) (local $b0 v128) (local $b1 v128) (local $va v128) (local $vb v128) (local $p i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128) (local $c40 v128) (local $c41 v128) (local $c50 v128) (local $c51 v128)
    (loop $k
      (local.set $b0 (v128.load offset=0 (local.get $pb)))
      (local.set $b1 (v128.load offset=16 (local.get $pb)))
      (local.set $a (v128.load32_splat offset=0 (local.get $pa)))
      (local.set $c00 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c00)))
      (local.set $c01 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c01)))
      (local.set $a (v128.load32_splat offset=4 (local.get $pa)))
      (local.set $c10 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c10)))
      (local.set $c11 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c11)))
      (local.set $a (v128.load32_splat offset=8 (local.get $pa)))
      (local.set $c20 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c20)))
      (local.set $c21 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c21)))
      (local.set $a (v128.load32_splat offset=12 (local.get $pa)))
      (local.set $c30 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c30)))
      (local.set $c31 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c31)))
      (local.set $a (v128.load32_splat offset=16 (local.get $pa)))
      (local.set $c40 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c40)))
      (local.set $c41 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c41)))
      (local.set $a (v128.load32_splat offset=20 (local.get $pa)))
      (local.set $c50 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c50)))
      (local.set $c51 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c51)))
      (local.set $pa (i32.add (local.get $pa) (i32.const 24)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
      (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    (local.set $va (f32x4.splat (local.get $alpha)))
    (if (f32.eq (local.get $beta) (f32.const 0))
      (then
        (local.set $p (local.get $c))
        (v128.store offset=0 (local.get $p) (f32x4.mul (local.get $va) (local.get $c00)))
        (v128.store offset=16 (local.get $p) (f32x4.mul (local.get $va) (local.get $c01)))
        (local.set $p (i32.add (local.get $p) (local.get $ldc)))
        (v128.store offset=0 (local.get $p) (f32x4.mul (local.get $va) (local.get $c10)))
        (v128.store offset=16 (local.get $p) (f32x4.mul (local.get $va) (local.get $c11)))
        (local.set $p (i32.add (local.get $p) (local.get $ldc)))
        (v128.store offset=0 (local.get $p) (f32x4.mul (local.get $va) (local.get $c20)))
        (v128.store offset=16 (local.get $p) (f32x4.mul (local.get $va) (local.get $c21)))
        (local.set $p (i32.add (local.get $p) (local.get $ldc)))
        (v128.store offset=0 (local.get $p) (f32x4.mul (local.get $va) (local.get $c30)))
        (v128.store offset=16 (local.get $p) (f32x4.mul (local.get $va) (local.get $c31)))
        (local.set $p (i32.add (local.get $p) (local.get $ldc)))
        (v128.store offset=0 (local.get $p) (f32x4.mul (local.get $va) (local.get $c40)))
        (v128.store offset=16 (local.get $p) (f32x4.mul (local.get $va) (local.get $c41)))
        (local.set $p (i32.add (local.get $p) (local.get $ldc)))
        (v128.store offset=0 (local.get $p) (f32x4.mul (local.get $va) (local.get $c50)))
        (v128.store offset=16 (local.get $p) (f32x4.mul (local.get $va) (local.get $c51)))
        (return)))
    (local.set $vb (f32x4.splat (local.get $beta)))
    (local.set $p (local.get $c))
    (v128.store offset=0 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c00)) (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $p)))))
    (v128.store offset=16 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c01)) (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $p)))))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store offset=0 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c10)) (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $p)))))
    (v128.store offset=16 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c11)) (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $p)))))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store offset=0 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c20)) (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $p)))))
    (v128.store offset=16 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c21)) (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $p)))))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store offset=0 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c30)) (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $p)))))
    (v128.store offset=16 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c31)) (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $p)))))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store offset=0 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c40)) (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $p)))))
    (v128.store offset=16 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c41)) (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $p)))))
    (local.set $p (i32.add (local.get $p) (local.get $ldc)))
    (v128.store offset=0 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c50)) (f32x4.mul (local.get $vb) (v128.load offset=0 (local.get $p)))))
    (v128.store offset=16 (local.get $p) (f32x4.add (f32x4.mul (local.get $va) (local.get $c51)) (f32x4.mul (local.get $vb) (v128.load offset=16 (local.get $p)))))
  )

  ;; Merge the top-left mr x nr of the tile (row stride 32 bytes) into C: C = alpha*T + beta*C
  ;; (beta = 0 overwrites without reading C).
  (func $merge (param $t i32) (param $c i32) (param $ldc i32) (param $mr i32) (param $nr i32)
               (param $alpha f32) (param $beta f32)
    (local $r i32) (local $j i32) (local $p i32)
    (local.set $r (i32.const 0))
    (loop $rows
      (local.set $j (i32.const 0))
      (loop $cols
        (local.set $p (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
        (if (f32.eq (local.get $beta) (f32.const 0))
          (then
            (f32.store (local.get $p)
              (f32.mul (local.get $alpha) (f32.load (i32.add (local.get $t) (i32.shl (local.get $j) (i32.const 2)))))))
          (else
            (f32.store (local.get $p)
              (f32.add
                (f32.mul (local.get $alpha) (f32.load (i32.add (local.get $t) (i32.shl (local.get $j) (i32.const 2)))))
                (f32.mul (local.get $beta) (f32.load (local.get $p)))))))
        (br_if $cols (i32.lt_s (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $nr))))
      (local.set $t (i32.add (local.get $t) (i32.const 32)))
      (local.set $c (i32.add (local.get $c) (local.get $ldc)))
      (br_if $rows (i32.lt_s (local.tee $r (i32.add (local.get $r) (i32.const 1))) (local.get $mr)))))

  ;; C[0..M, 0..N] = beta * C (beta = 0 writes zeros, so stale NaN never leaks through).
  (func $scale (param $c i32) (param $ldc i32) (param $M i32) (param $N i32) (param $beta f32)
    (local $i i32) (local $j i32) (local $p i32)
    (if (f32.eq (local.get $beta) (f32.const 1)) (then (return)))
    (local.set $i (i32.const 0))
    (loop $rows
      (local.set $j (i32.const 0))
      (loop $cols
        (local.set $p (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2))))
        (if (f32.eq (local.get $beta) (f32.const 0))
          (then (f32.store (local.get $p) (f32.const 0)))
          (else (f32.store (local.get $p) (f32.mul (local.get $beta) (f32.load (local.get $p))))))
        (br_if $cols (i32.lt_s (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $N))))
      (local.set $c (i32.add (local.get $c) (local.get $ldc)))
      (br_if $rows (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $M)))))

  ;; C = alpha * op(A) * op(B) + beta * C. a, b, c are element (float32) offsets into memory, lda, ldb,
  ;; ldc row strides in elements; op(A) is M x K, op(B) is K x N. Needs setScratch first.
  (func (export "gemm") (param $transA i32) (param $transB i32) (param $M i32) (param $N i32) (param $K i32)
        (param $alpha f32) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
        (param $beta f32) (param $c i32) (param $ldc i32)
    (local $rsA i32) (local $csA i32) (local $rsB i32) (local $csB i32) (local $ldcB i32)
    (local $jc i32) (local $nc i32) (local $pc i32) (local $kc i32) (local $ic i32) (local $mc i32)
    (local $jr i32) (local $nr i32) (local $ir i32) (local $mr i32) (local $betaE f32)
    (local $pa i32) (local $pb i32) (local $cp i32)
    (if (i32.or (i32.le_s (local.get $M) (i32.const 0)) (i32.le_s (local.get $N) (i32.const 0))) (then (return)))
    (local.set $ldcB (i32.shl (local.get $ldc) (i32.const 2)))
    (local.set $c (i32.shl (local.get $c) (i32.const 2)))
    (if (i32.or (i32.le_s (local.get $K) (i32.const 0)) (f32.eq (local.get $alpha) (f32.const 0)))
      (then
        (call $scale (local.get $c) (local.get $ldcB) (local.get $M) (local.get $N) (local.get $beta))
        (return)))
    (local.set $a (i32.shl (local.get $a) (i32.const 2)))
    (local.set $b (i32.shl (local.get $b) (i32.const 2)))
    ;; op(A)[i,k] at a + i*rsA + k*csA; op(B)[k,j] at b + k*rsB + j*csB (bytes).
    (if (local.get $transA)
      (then (local.set $rsA (i32.const 4)) (local.set $csA (i32.shl (local.get $lda) (i32.const 2))))
      (else (local.set $rsA (i32.shl (local.get $lda) (i32.const 2))) (local.set $csA (i32.const 4))))
    (if (local.get $transB)
      (then (local.set $rsB (i32.const 4)) (local.set $csB (i32.shl (local.get $ldb) (i32.const 2))))
      (else (local.set $rsB (i32.shl (local.get $ldb) (i32.const 2))) (local.set $csB (i32.const 4))))
    (local.set $jc (i32.const 0))
    (loop $jcL
      (local.set $nc (i32.sub (local.get $N) (local.get $jc)))
      (if (i32.gt_s (local.get $nc) (global.get $NC)) (then (local.set $nc (global.get $NC))))
      (local.set $pc (i32.const 0))
      (loop $pcL
        (local.set $kc (i32.sub (local.get $K) (local.get $pc)))
        (if (i32.gt_s (local.get $kc) (global.get $KC)) (then (local.set $kc (global.get $KC))))
        (local.set $betaE (if (result f32) (local.get $pc) (then (f32.const 1)) (else (local.get $beta))))
        (call $packB
          (i32.add (local.get $b) (i32.add (i32.mul (local.get $pc) (local.get $rsB)) (i32.mul (local.get $jc) (local.get $csB))))
          (local.get $rsB) (local.get $csB) (local.get $kc) (local.get $nc) (global.get $bpack))
        (local.set $ic (i32.const 0))
        (loop $icL
          (local.set $mc (i32.sub (local.get $M) (local.get $ic)))
          (if (i32.gt_s (local.get $mc) (global.get $MC)) (then (local.set $mc (global.get $MC))))
          (call $packA
            (i32.add (local.get $a) (i32.add (i32.mul (local.get $ic) (local.get $rsA)) (i32.mul (local.get $pc) (local.get $csA))))
            (local.get $rsA) (local.get $csA) (local.get $mc) (local.get $kc) (global.get $apack))
          (local.set $jr (i32.const 0))
          (loop $jrL
            (local.set $nr (i32.sub (local.get $nc) (local.get $jr)))
            (if (i32.gt_s (local.get $nr) (i32.const 8)) (then (local.set $nr (i32.const 8))))
            (local.set $pb (i32.add (global.get $bpack) (i32.mul (i32.shl (local.get $jr) (i32.const 2)) (local.get $kc))))
            (local.set $ir (i32.const 0))
            (loop $irL
              (local.set $mr (i32.sub (local.get $mc) (local.get $ir)))
              (if (i32.gt_s (local.get $mr) (i32.const 6)) (then (local.set $mr (i32.const 6))))
              (local.set $pa (i32.add (global.get $apack) (i32.mul (i32.shl (local.get $ir) (i32.const 2)) (local.get $kc))))
              (local.set $cp
                (i32.add (local.get $c)
                  (i32.add (i32.mul (i32.add (local.get $ic) (local.get $ir)) (local.get $ldcB))
                           (i32.shl (i32.add (local.get $jc) (local.get $jr)) (i32.const 2)))))
              (if (i32.and (i32.eq (local.get $mr) (i32.const 6)) (i32.eq (local.get $nr) (i32.const 8)))
                (then
                  (call $kernel (local.get $pa) (local.get $pb) (local.get $kc) (local.get $cp) (local.get $ldcB)
                    (local.get $alpha) (local.get $betaE)))
                (else
                  (call $kernel (local.get $pa) (local.get $pb) (local.get $kc) (global.get $tile) (i32.const 32)
                    (f32.const 1) (f32.const 0))
                  (call $merge (global.get $tile) (local.get $cp) (local.get $ldcB) (local.get $mr) (local.get $nr)
                    (local.get $alpha) (local.get $betaE))))
              (br_if $irL (i32.lt_s (local.tee $ir (i32.add (local.get $ir) (i32.const 6))) (local.get $mc))))
            (br_if $jrL (i32.lt_s (local.tee $jr (i32.add (local.get $jr) (i32.const 8))) (local.get $nc))))
          (br_if $icL (i32.lt_s (local.tee $ic (i32.add (local.get $ic) (global.get $MC))) (local.get $M))))
        (br_if $pcL (i32.lt_s (local.tee $pc (i32.add (local.get $pc) (global.get $KC))) (local.get $K))))
      (br_if $jcL (i32.lt_s (local.tee $jc (i32.add (local.get $jc) (global.get $NC))) (local.get $N)))))
)
